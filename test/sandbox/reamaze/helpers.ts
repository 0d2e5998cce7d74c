import {
  startReamazeSimulator,
  type ConversationRecord,
  type ReamazeSimulator,
  type ReamazeSimulatorOptions,
} from '../../../src/sandbox/reamaze/index.js';

/** A fixed "now" so every expectation is exact: 2026-01-19 15:00:00 UTC. */
export const NOW = Date.UTC(2026, 0, 19, 15, 0, 0);

export interface Clock {
  now: () => number;
  set(ms: number): void;
  advance(ms: number): number;
}

export function createClock(start = NOW): Clock {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms), advance: (ms) => (t += ms) };
}

export async function startSmall(options: Partial<ReamazeSimulatorOptions> = {}): Promise<ReamazeSimulator & { clock: Clock }> {
  const clock = createClock();
  const sim = await startReamazeSimulator({ conversations: 60, now: clock.now, ...options });
  return Object.assign(sim, { clock });
}

export function basic(email: string, token: string): string {
  return 'Basic ' + Buffer.from(`${email}:${token}`).toString('base64');
}

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** GET with the simulator's own credentials unless `headers` says otherwise. */
export async function get<T = any>(
  sim: ReamazeSimulator,
  path: string,
  query: Record<string, string> | string = {},
  headers?: Record<string, string>,
): Promise<Reply<T>> {
  const search = typeof query === 'string' ? query : new URLSearchParams(query).toString();
  const response = await fetch(`${sim.url}${path}${search ? `?${search}` : ''}`, {
    headers: headers ?? { authorization: basic(sim.credentials.email, sim.credentials.token), accept: 'application/json' },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Every page of a list endpoint, following `page_count`, as the Ruby client does. */
export async function walk(sim: ReamazeSimulator, path: string, key: string, query: Record<string, string> = {}) {
  const items: any[] = [];
  const pages: any[] = [];
  for (let page = 1; ; page++) {
    const { status, body } = await get(sim, path, { ...query, page: String(page) });
    if (status !== 200) throw new Error(`page ${page}: ${status} ${JSON.stringify(body)}`);
    pages.push(body);
    items.push(...body[key]);
    if (page >= body.page_count) break;
  }
  return { items, pages };
}

// Brute-force expectations, written from docs/provider-assumptions.md without the
// simulator's own query code.

export function lastCustomerAt(c: ConversationRecord): number | null {
  const customer = c.messages.filter((m) => m.user.kind === 'customer');
  return customer.length ? customer[customer.length - 1]!.createdAt : null;
}

/** Storage order kept for ties: sort indices, not records. */
export function sortedBy(records: ConversationRecord[], key: (c: ConversationRecord) => number): ConversationRecord[] {
  return records
    .map((c, index) => ({ c, index, k: key(c) }))
    .sort((a, b) => (a.k === b.k ? a.index - b.index : b.k > a.k ? 1 : -1))
    .map((x) => x.c);
}

export const byCreated = (records: ConversationRecord[]) => sortedBy(records, (c) => c.createdAt);
export const byChanged = (records: ConversationRecord[]) => sortedBy(records, (c) => c.updatedAt);
export const byUpdated = (records: ConversationRecord[]) =>
  sortedBy(records, (c) => lastCustomerAt(c) ?? Number.NEGATIVE_INFINITY);

export const slugs = (items: Array<{ slug: string }>) => items.map((c) => c.slug);

export const pageCount = (n: number) => Math.ceil(n / 30);

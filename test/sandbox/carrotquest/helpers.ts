import { startCarrotquestSimulator, type CarrotquestSimulator, type CarrotquestSimulatorOptions, type ConversationRecord } from '../../../src/sandbox/carrotquest/index.js';

/** A fixed clock: the world is generated at this moment and every expectation is exact. */
export const NOW = Date.UTC(2025, 4, 20, 12, 0, 0);
export const NOW_SECONDS = NOW / 1000;

export function startSmall(options: CarrotquestSimulatorOptions = {}): Promise<CarrotquestSimulator> {
  return startCarrotquestSimulator({ conversations: 60, now: () => NOW, ...options });
}

export type Auth = 'token' | 'bearer' | 'param' | 'none' | { header: string } | { param: string };

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body. Ids are safe to read only when the request asked for `id_as_string`. */
  body: any;
}

/**
 * One GET to the simulator. `id_as_string=true` is added unless `query` says otherwise
 * (pass `id_as_string: null` to leave it out), so parsed ids are exact by default.
 */
export async function get(
  sim: CarrotquestSimulator,
  path: string,
  query: Record<string, string | number | null> = {},
  auth: Auth = 'token',
  init: RequestInit = {},
): Promise<Reply> {
  const params = new URLSearchParams();
  const merged: Record<string, string | number | null> = { id_as_string: 'true', ...query };
  for (const [key, value] of Object.entries(merged)) if (value !== null) params.set(key, String(value));
  const headers: Record<string, string> = {};
  if (auth === 'token') headers.authorization = `Token ${sim.credentials.token}`;
  else if (auth === 'bearer') headers.authorization = `Bearer ${sim.credentials.token}`;
  else if (auth === 'param') params.set('auth_token', sim.credentials.token);
  else if (typeof auth === 'object' && 'header' in auth) headers.authorization = auth.header;
  else if (typeof auth === 'object' && 'param' in auth) params.set('auth_token', auth.param);
  const qs = params.toString();
  const response = await fetch(`${sim.url}${path}${qs ? `?${qs}` : ''}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** The error envelope Carrot quest answers with (providers.md 1.4). */
export function errorEnvelope(status: number, error: string, message: string) {
  return { meta: { status, error, error_message: message }, data: {} };
}

/** `(last_update, id)` descending, brute force with BigInt ids. */
export function byListOrder(a: ConversationRecord, b: ConversationRecord): number {
  if (a.last_update !== b.last_update) return b.last_update > a.last_update ? 1 : -1;
  const x = BigInt(a.id);
  const y = BigInt(b.id);
  return x === y ? 0 : y > x ? 1 : -1;
}

/** What the inbox list shows with no `assistant_type` (the doc's note). */
export const inInbox = (c: ConversationRecord): boolean => c.assistant_type === null && c.replied;
export const isDelayedAtNow = (c: ConversationRecord): boolean => c.delayed_until !== null && c.delayed_until > NOW_SECONDS;

/** The expected list for a predicate: the inbox set, filtered, in list order, as ids. */
export function expectedIds(sim: CarrotquestSimulator, keep: (c: ConversationRecord) => boolean = () => true): string[] {
  return sim.store.conversations.filter((c) => inInbox(c) && keep(c)).sort(byListOrder).map((c) => c.id);
}

/** Walks a v2 list to the end with `before` pages; returns every id seen, in order. */
export async function walkV2(sim: CarrotquestSimulator, path: string, query: Record<string, string | number | null>): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let position: unknown = undefined;
  let pages = 0;
  for (;;) {
    const reply = await get(sim, path, { ...query, ...(position ? { paginate_position: JSON.stringify(position) } : {}) });
    if (reply.status !== 200) throw new Error(`page ${pages} answered ${reply.status}: ${reply.text}`);
    pages += 1;
    ids.push(...reply.body.data.map((row: { id: string }) => row.id));
    position = reply.body.meta.next_before_position;
    if (position === null) return { ids, pages };
    if (pages > 200) throw new Error('the walk does not end');
  }
}

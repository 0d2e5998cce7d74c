import { startChatwootSimulator, type ChatwootSimulatorOptions, type ChatwootSimulator } from '../../../src/sandbox/chatwoot/index.js';
import type { CwConversation, CwUser } from '../../../src/sandbox/chatwoot/records.js';

/** A fixed clock: 2026-01-19T12:00:00Z. */
export const NOW = Date.UTC(2026, 0, 19, 12, 0, 0);

export async function startSmall(options: ChatwootSimulatorOptions = {}): Promise<ChatwootSimulator> {
  return startChatwootSimulator({ conversations: 60, now: () => NOW, ...options });
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** GET `path` (relative to the account when it does not start with `/`). */
export async function get(sim: ChatwootSimulator, path: string, token: string | null = sim.credentials.token, headers: Record<string, string> = {}): Promise<Answer> {
  const url = path.startsWith('/') ? sim.url + path : `${sim.url}/api/v1/accounts/${sim.credentials.accountId}/${path}`;
  const response = await fetch(url, { headers: { ...(token === null ? {} : { api_access_token: token }), ...headers } });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function userOf(sim: ChatwootSimulator, token: string): CwUser {
  return sim.store.users.find((u) => u.accessToken === token)!;
}

/** The inboxes a user may see, straight from the records. */
export function visibleInboxes(sim: ChatwootSimulator, user: CwUser): Set<number> {
  return new Set(sim.store.inboxes.filter((i) => user.role === 'administrator' || i.memberIds.includes(user.id)).map((i) => i.id));
}

/**
 * Stable sort by `key` descending over STORAGE order (`store.conversations`): the
 * order Chatwoot's `ORDER BY last_activity_at DESC` gives.
 */
export function byLastActivityDesc(rows: CwConversation[]): CwConversation[] {
  const position = new Map(rows.map((c, i) => [c, i]));
  return [...rows].sort((a, b) => b.lastActivityAt - a.lastActivityAt || position.get(a)! - position.get(b)!);
}

export const ids = (rows: Array<{ displayId: number }>) => rows.map((r) => r.displayId);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const payloadIds = (answer: Answer): number[] => answer.json.data.payload.map((c: any) => c.id);

/** Counts of a set, as the index reports them for `user`. */
export function countsOf(rows: CwConversation[], user: CwUser) {
  const unassigned = rows.filter((c) => c.assigneeId === null).length;
  return {
    mine_count: rows.filter((c) => c.assigneeId === user.id).length,
    assigned_count: rows.length - unassigned,
    unassigned_count: unassigned,
    all_count: rows.length,
  };
}

/** POST a JSON body to `path` (relative to the account when it does not start with `/`). */
export async function post(sim: ChatwootSimulator, path: string, body: unknown, token: string | null = sim.credentials.token): Promise<Answer> {
  const url = path.startsWith('/') ? sim.url + path : `${sim.url}/api/v1/accounts/${sim.credentials.accountId}/${path}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { api_access_token: token }) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

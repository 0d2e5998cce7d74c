import { startIntercomSimulator, type IntercomSimulator, type IntercomSimulatorOptions } from '../../../src/sandbox/intercom/index.js';

/** A fixed clock: the world is generated at this moment and every expectation is exact. */
export const NOW = Date.UTC(2025, 4, 20, 12, 0, 0);

export function startSmall(options: IntercomSimulatorOptions = {}): Promise<IntercomSimulator> {
  return startIntercomSimulator({ conversations: 80, now: () => NOW, ...options });
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

/** One call as Intercom's docs show it: bearer token, `Intercom-Version`, JSON both ways. */
export async function call(
  sim: IntercomSimulator,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string | undefined> = {},
): Promise<Reply> {
  const sent: Record<string, string> = {};
  const all = { authorization: `Bearer ${sim.credentials.token}`, 'intercom-version': '2.14', accept: 'application/json', ...headers };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) sent[name] = value;
  if (body !== undefined) sent['content-type'] = 'application/json';
  const response = await fetch(sim.url + path, { method, headers: sent, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

export const search = (sim: IntercomSimulator, query: unknown, pagination?: Record<string, unknown>) =>
  call(sim, 'POST', '/conversations/search', pagination ? { query, pagination } : { query });

/** Every row of a search, page by page through `pages.next.starting_after`. */
export async function walk(sim: IntercomSimulator, query: unknown, perPage: number, between?: (page: number) => void): Promise<any[]> {
  const rows: any[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page += 1) {
    const reply = await search(sim, query, { per_page: perPage, ...(cursor ? { starting_after: cursor } : {}) });
    if (reply.status !== 200) throw new Error(`HTTP ${reply.status}: ${JSON.stringify(reply.body)}`);
    rows.push(...reply.body.conversations);
    cursor = reply.body.pages.next?.starting_after;
    if (!cursor) return rows;
    between?.(page);
  }
  throw new Error('the walk did not end');
}

export const ALL = { field: 'updated_at', operator: '>', value: 0 };

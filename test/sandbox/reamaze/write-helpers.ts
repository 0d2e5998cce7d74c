import type { ConversationRecord, ReamazeSimulator } from '../../../src/sandbox/reamaze/index.js';
import { basic, type Reply } from './helpers.js';

/** A JSON write with the simulator's own login unless `auth` says otherwise. */
export async function send<T = any>(
  sim: ReamazeSimulator,
  method: 'POST' | 'PUT',
  path: string,
  body: unknown,
  auth: string = basic(sim.credentials.email, sim.credentials.token),
): Promise<Reply<T>> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: auth, accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export const postMessage = (sim: ReamazeSimulator, slug: string, message: Record<string, unknown>, auth?: string) =>
  send(sim, 'POST', `/api/v1/conversations/${slug}/messages`, { message }, auth);

export const putConversation = (sim: ReamazeSimulator, slug: string, conversation: Record<string, unknown>, auth?: string) =>
  send(sim, 'PUT', `/api/v1/conversations/${slug}`, { conversation }, auth);

/** The first conversation with this status that a customer wrote last (so a reply's effect is visible). */
export function withStatus(sim: ReamazeSimulator, status: number): ConversationRecord {
  const found = sim.store.conversations.find((c) => c.status === status && c.messages.length > 0 && c.messages.length < 25);
  if (!found) throw new Error(`no conversation with status ${status}`);
  return found;
}

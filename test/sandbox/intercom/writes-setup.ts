import { expect } from 'vitest';
import type { ConversationRecord, IntercomReadings, IntercomSimulator, StoreChange } from '../../../src/sandbox/intercom/index.js';
import { call, NOW, startSmall, type Reply } from './helpers.js';

/** The world is generated at NOW; every write lands a minute later, at WRITE_AT (unix seconds). */
export const WRITE_AT = Math.floor(NOW / 1000) + 60;

export interface WriteRig {
  sim: IntercomSimulator;
  /** The first teammate: the sandbox's `actAs` identity. */
  adminId: string;
  /** Every change the store announced, in order. */
  changes: StoreChange[];
}

export async function startWriteRig(readings: Partial<IntercomReadings> = {}): Promise<WriteRig> {
  let clock = NOW;
  const sim = await startSmall({ now: () => clock, readings });
  clock = WRITE_AT * 1000;
  const changes: StoreChange[] = [];
  sim.store.onChange((change) => changes.push(change));
  return { sim, adminId: sim.store.teammates()[0]!.id, changes };
}

export function conversationWhere(sim: IntercomSimulator, test: (c: ConversationRecord) => boolean): ConversationRecord {
  const found = sim.store.conversations.find(test);
  if (!found) throw new Error('the fixture has no such conversation');
  return found;
}

/** The conversation that sits last in list order: any write that moves `updated_at` brings it first. */
export function oldest(sim: IntercomSimulator): ConversationRecord {
  return sim.store.inOrder().at(-1)!;
}

export const post = (sim: IntercomSimulator, path: string, body: unknown) => call(sim, 'POST', path, body);

export async function shown(sim: IntercomSimulator, id: string): Promise<any> {
  const reply = await call(sim, 'GET', `/conversations/${id}`);
  expect(reply.status).toBe(200);
  return reply.body;
}

/** The first row of `GET /conversations`: the most recently updated conversation. */
export async function firstListed(sim: IntercomSimulator): Promise<string> {
  return (await call(sim, 'GET', '/conversations?per_page=1')).body.conversations[0].id;
}

export function expectError(reply: Reply, status: number, code: string): void {
  expect(reply.status).toBe(status);
  expect(reply.body).toMatchObject({ type: 'error.list', errors: [{ code }] });
  expect(typeof reply.body.request_id).toBe('string');
}

export const lastPart = (body: any) => body.conversation_parts.conversation_parts.at(-1);

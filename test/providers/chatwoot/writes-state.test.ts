import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceError, UpstreamNotFound } from '../../../src/http/errors.js';
import type { CwConversation } from '../../../src/sandbox/chatwoot/records.js';
import { calls, sharedConversation, startWriteWorld, stopWriteWorld, type WriteWorld } from './write-setup.js';

let world: WriteWorld;
let conversation: CwConversation;
let id: string;
beforeEach(async () => {
  world = await startWriteWorld();
  conversation = sharedConversation(world);
  id = String(conversation.displayId);
  world.sim.resetRequests();
});
afterEach(() => stopWriteWorld(world));

/** The conversation as the simulator's store holds it. */
const held = () => world.sim.store.conversation(conversation.displayId)!;
const bodies = () => world.sim.writes().map((w) => w.body);

describe('Chatwoot writer: setStatus', () => {
  it('closes with one toggle_status carrying status "resolved", then reads the conversation', async () => {
    held().status = 'open';
    const result = await world.writer.setStatus(id, { status: 'CLOSED' }, world.adminActor, {});
    expect(held().status).toBe('resolved');
    expect(world.sim.writes()).toEqual([{ method: 'POST', path: `/api/v1/accounts/1/conversations/${id}/toggle_status`, body: { status: 'resolved' } }]);
    expect(calls(world)).toEqual([`POST /conversations/${id}/toggle_status`, `GET /conversations/${id}`]);
    expect(result).toMatchObject({ changed: true, detail: { conversation: { status: 'CLOSED', nativeStatus: 'resolved', closed: true } } });
  });

  it('always names the status, so closing twice leaves the conversation closed (Chatwoot toggles a bare request)', async () => {
    held().status = 'open';
    await world.writer.setStatus(id, { status: 'CLOSED' }, world.adminActor, {});
    await world.writer.setStatus(id, { status: 'CLOSED' }, world.adminActor, {});
    expect(held().status).toBe('resolved');
    await world.writer.setStatus(id, { status: 'OPEN' }, world.adminActor, {});
    await world.writer.setStatus(id, { status: 'PENDING' }, world.adminActor, {});
    expect(held().status).toBe('pending');
    expect(bodies()).toEqual([{ status: 'resolved' }, { status: 'resolved' }, { status: 'open' }, { status: 'pending' }]);
  });

  it('snoozes until a time sent as unix seconds rounded up, and without a time sends no snoozed_until', async () => {
    const until = new Date(Date.UTC(2026, 0, 20, 9, 0, 0, 500));
    const result = await world.writer.setStatus(id, { status: 'SNOOZED', until }, world.adminActor, {});
    expect(held()).toMatchObject({ status: 'snoozed', snoozedUntil: Date.UTC(2026, 0, 20, 9, 0, 1) });
    expect(result.detail?.conversation).toMatchObject({ status: 'SNOOZED', delayedUntil: Date.UTC(2026, 0, 20, 9, 0, 1) });
    await world.writer.setStatus(id, { status: 'SNOOZED', until: null }, world.adminActor, {});
    expect(bodies()).toEqual([{ status: 'snoozed', snoozed_until: Math.ceil(until.getTime() / 1000) }, { status: 'snoozed' }]);
  });

  it('reports the assignee Chatwoot gives an agent who opens a conversation (self-assign), without undoing it', async () => {
    held().status = 'resolved';
    held().assigneeId = world.admin.id;
    const result = await world.writer.setStatus(id, { status: 'OPEN' }, world.agentActor, {});
    expect(held().assigneeId).toBe(world.agent.id);
    expect(result.detail?.conversation.assigneeId).toBe(String(world.agent.id));
    expect(world.sim.writes()).toHaveLength(1);
  });

  it('a 5xx after commit is maybeApplied and was sent once; an unknown conversation is UpstreamNotFound', async () => {
    held().status = 'open';
    world.sim.addFault({ kind: 'error', status: 503, count: 1, method: 'POST', afterCommit: true });
    const error = await world.writer.setStatus(id, { status: 'CLOSED' }, world.adminActor, {}).catch((e: unknown) => e);
    expect((error as SourceError).details.maybeApplied).toBe(true);
    expect(held().status).toBe('resolved');
    expect(world.sim.writes()).toHaveLength(1);
    await expect(world.writer.setStatus('99999', { status: 'CLOSED' }, world.adminActor, {})).rejects.toBeInstanceOf(UpstreamNotFound);
  });
});

describe('Chatwoot writer: assign', () => {
  it('assigns a known agent with one assignments POST and reports the new assignee', async () => {
    const target = world.sim.store.users.find((u) => u.id !== held().assigneeId)!;
    const result = await world.writer.assign(id, String(target.id), world.adminActor, {});
    expect(held().assigneeId).toBe(target.id);
    expect(bodies()).toEqual([{ assignee_id: target.id }]);
    expect(result.detail?.conversation.assigneeId).toBe(String(target.id));
  });

  it('unassigns with assignee_id null', async () => {
    held().assigneeId = world.admin.id;
    const result = await world.writer.assign(id, null, world.adminActor, {});
    expect(held().assigneeId).toBeNull();
    expect(bodies()).toEqual([{ assignee_id: null }]);
    expect(result.detail?.conversation.assigneeId).toBeNull();
  });

  it('refuses an agent id the account does not have before writing (Chatwoot would unassign instead)', async () => {
    held().assigneeId = world.admin.id;
    const attempt = world.writer.assign(id, '987654', world.adminActor, {});
    await expect(attempt).rejects.toMatchObject({ name: 'WriteRefused', reason: 'UNKNOWN_ADMIN', field: 'assigneeId' });
    expect(world.sim.writes()).toEqual([]);
    expect(held().assigneeId).toBe(world.admin.id);
  });

  it('assigns an agent bot with assignee_type AgentBot, and refuses an unknown bot without a change', async () => {
    const bot = world.sim.store.agentBots[0]!;
    await world.writer.assign(id, `bot:${bot.id}`, world.adminActor, {});
    expect(held()).toMatchObject({ assigneeAgentBotId: bot.id, assigneeId: null });
    await expect(world.writer.assign(id, 'bot:9999', world.adminActor, {})).rejects.toMatchObject({ reason: 'UNKNOWN_ADMIN' });
    expect(held().assigneeAgentBotId).toBe(bot.id);
    expect(bodies()).toEqual([{ assignee_id: bot.id, assignee_type: 'AgentBot' }, { assignee_id: 9999, assignee_type: 'AgentBot' }]);
  });
});

describe('Chatwoot writer: updateTags', () => {
  it('reads the labels, posts the whole new set once, and reports the new tags', async () => {
    held().labels = ['billing', 'vip'];
    const result = await world.writer.updateTags(id, { add: ['refund'], remove: ['vip'] }, world.adminActor, {});
    expect(held().labels).toEqual(['billing', 'refund']);
    expect(calls(world)).toEqual([`GET /conversations/${id}/labels`, `POST /conversations/${id}/labels`, `GET /conversations/${id}`]);
    expect(bodies()).toEqual([{ labels: ['billing', 'refund'] }]);
    expect(result).toMatchObject({ changed: true, detail: { conversation: { tags: ['billing', 'refund'] } } });
  });

  it('sends no write when the set would not change, and says so', async () => {
    held().labels = ['billing'];
    const result = await world.writer.updateTags(id, { add: ['Billing'], remove: ['absent'] }, world.adminActor, {});
    expect(result.changed).toBe(false);
    expect(world.sim.writes()).toEqual([]);
    expect(held().labels).toEqual(['billing']);
  });

  it('refuses a label Chatwoot would split or strip, before any call', async () => {
    for (const tag of ['a,b', ' padded', '']) {
      await expect(world.writer.updateTags(id, { add: [tag], remove: [] }, world.adminActor, {})).rejects.toMatchObject({ reason: 'INVALID_TAG', field: 'add' });
    }
    expect(world.sim.requests()).toEqual([]);
  });
});

describe('Chatwoot writer: markRead', () => {
  it('posts update_last_seen once and maps its answer, with no further read', async () => {
    held().agentLastSeenAt = null;
    const result = await world.writer.markRead(id, world.adminActor, {});
    expect(held().agentLastSeenAt).toBe(world.clock.now);
    expect(calls(world)).toEqual([`POST /conversations/${id}/update_last_seen`]);
    expect(result).toMatchObject({ changed: true, detail: { conversation: { nativeId: id, unreadCount: 0 } } });
  });
});

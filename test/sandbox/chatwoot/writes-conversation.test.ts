import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatwootSimulator } from '../../../src/sandbox/chatwoot/index.js';
import type { CwConversation, CwStatus } from '../../../src/sandbox/chatwoot/records.js';
import { get, NOW, post, startSmall, userOf } from './helpers.js';

/** Written from research B.1/B.2 (conversations_controller, assignments, LabelConcern, update_last_seen). */

let sim: ChatwootSimulator;
let clock: number;
beforeEach(async () => {
  clock = NOW;
  sim = await startSmall({ conversations: 30, now: () => clock });
  clock = NOW + 60_000;
});
afterEach(() => sim.close());

const seconds = (ms: number) => Math.floor(ms / 1000);
const activities = (c: CwConversation) => sim.store.messagesOf(c.displayId).filter((m) => m.messageType === 2).map((m) => m.content);

function withStatus(status: CwStatus): CwConversation {
  const found = sim.store.conversations.find((c) => c.status === status);
  return found ?? sim.createConversation({ status });
}

describe('Chatwoot simulator: toggle_status', () => {
  it('sets an explicit status, answers {meta, payload}, and a repeat leaves it set (no toggle) with one activity message', async () => {
    const conversation = withStatus('open');
    const first = await post(sim, `conversations/${conversation.displayId}/toggle_status`, { status: 'resolved' });
    expect(first.json).toEqual({ meta: {}, payload: { success: true, conversation_id: conversation.displayId, current_status: 'resolved', snoozed_until: null } });
    const again = await post(sim, `conversations/${conversation.displayId}/toggle_status`, { status: 'resolved' });
    expect(again.json.payload.current_status).toBe('resolved');
    expect((await get(sim, `conversations/${conversation.displayId}`)).json.status).toBe('resolved');
    const admin = userOf(sim, sim.credentials.token);
    expect(activities(conversation).filter((a) => a === `Conversation was marked resolved by ${admin.name}`)).toHaveLength(1);
  });

  it('toggles without a status: open -> resolved -> open, and pending -> open', async () => {
    const open = withStatus('open');
    expect((await post(sim, `conversations/${open.displayId}/toggle_status`, {})).json.payload.current_status).toBe('resolved');
    expect((await post(sim, `conversations/${open.displayId}/toggle_status`, {})).json.payload.current_status).toBe('open');
    const pending = withStatus('pending');
    expect((await post(sim, `conversations/${pending.displayId}/toggle_status`, { status: '' })).json.payload.current_status).toBe('open');
  });

  it('snoozes until unix seconds (written back as an ISO time); a snooze without a time keeps the time already set', async () => {
    const conversation = withStatus('open');
    const until = seconds(NOW) + 86_400;
    const answer = await post(sim, `conversations/${conversation.displayId}/toggle_status`, { status: 'snoozed', snoozed_until: until });
    expect(answer.json.payload).toMatchObject({ current_status: 'snoozed', snoozed_until: new Date(until * 1000).toISOString() });
    await post(sim, `conversations/${conversation.displayId}/toggle_status`, { status: 'snoozed' });
    expect((await get(sim, `conversations/${conversation.displayId}`)).json).toMatchObject({ status: 'snoozed', snoozed_until: new Date(until * 1000).toISOString() });
    await post(sim, `conversations/${conversation.displayId}/toggle_status`, { status: 'open' });
    expect((await get(sim, `conversations/${conversation.displayId}`)).json.snoozed_until).toBeNull();
  });

  it('moves last_activity_at and updated_at when the status changes (through its activity message)', async () => {
    const conversation = withStatus('open');
    await post(sim, `conversations/${conversation.displayId}/toggle_status`, { status: 'pending' });
    const shown = (await get(sim, `conversations/${conversation.displayId}`)).json;
    expect(shown.last_activity_at).toBe(seconds(clock));
    expect(shown.updated_at).toBe(clock / 1000);
  });

  it('answers 500 for a status outside the enum and changes nothing', async () => {
    const conversation = withStatus('open');
    const answer = await post(sim, `conversations/${conversation.displayId}/toggle_status`, { status: 'closed' });
    expect(answer.status).toBe(500);
    expect(conversation.status).toBe('open');
  });

  it('self-assigns an agent who opens a conversation; an administrator opening one does not change the assignee', async () => {
    const agent = userOf(sim, sim.credentials.agentToken);
    const other = sim.store.users.find((u) => u.id !== agent.id)!;
    const inAgentsInbox = sim.store.conversations.filter((c) => sim.store.inbox(c.inboxId)!.memberIds.includes(agent.id));
    const [byAgent, byAdmin] = inAgentsInbox;
    for (const c of [byAgent!, byAdmin!]) {
      c.status = 'resolved';
      c.assigneeId = other.id;
    }
    await post(sim, `conversations/${byAgent!.displayId}/toggle_status`, { status: 'open' }, sim.credentials.agentToken);
    await post(sim, `conversations/${byAdmin!.displayId}/toggle_status`, { status: 'open' });
    expect((await get(sim, `conversations/${byAgent!.displayId}`)).json.meta.assignee.id).toBe(agent.id);
    expect((await get(sim, `conversations/${byAdmin!.displayId}`)).json.meta.assignee.id).toBe(other.id);
  });

  it('does not self-assign an agent who closes a conversation', async () => {
    const agent = userOf(sim, sim.credentials.agentToken);
    const conversation = sim.store.conversations.find((c) => sim.store.inbox(c.inboxId)!.memberIds.includes(agent.id))!;
    conversation.status = 'open';
    conversation.assigneeId = null;
    await post(sim, `conversations/${conversation.displayId}/toggle_status`, { status: 'resolved' }, sim.credentials.agentToken);
    expect((await get(sim, `conversations/${conversation.displayId}`)).json.meta).not.toHaveProperty('assignee');
  });
});

describe('Chatwoot simulator: assignments', () => {
  it('assigns an agent (answering the agent), and `assignee_id: null` unassigns (answering null)', async () => {
    const conversation = sim.store.conversations[0]!;
    const agent = sim.store.users.at(-1)!;
    const assigned = await post(sim, `conversations/${conversation.displayId}/assignments`, { assignee_id: agent.id });
    expect(assigned.json).toMatchObject({ id: agent.id, name: agent.name });
    expect((await get(sim, `conversations/${conversation.displayId}`)).json.meta.assignee.id).toBe(agent.id);
    const cleared = await post(sim, `conversations/${conversation.displayId}/assignments`, { assignee_id: null });
    expect(cleared.text).toBe('null');
    expect((await get(sim, `conversations/${conversation.displayId}`)).json.meta).not.toHaveProperty('assignee');
  });

  it('UNASSIGNS when the id names no user of the account (find_by answers nil)', async () => {
    const conversation = sim.store.conversations[0]!;
    conversation.assigneeId = sim.store.users[0]!.id;
    const answer = await post(sim, `conversations/${conversation.displayId}/assignments`, { assignee_id: 987654 });
    expect(answer.text).toBe('null');
    expect(sim.store.conversation(conversation.displayId)!.assigneeId).toBeNull();
  });
});

describe('Chatwoot simulator: labels', () => {
  it('replaces the whole set on POST and lists it on GET', async () => {
    const conversation = sim.store.conversations[0]!;
    conversation.labels = ['billing', 'vip'];
    const answer = await post(sim, `conversations/${conversation.displayId}/labels`, { labels: ['refund'] });
    expect(answer.json).toEqual({ payload: ['refund'] });
    expect((await get(sim, `conversations/${conversation.displayId}/labels`)).json).toEqual({ payload: ['refund'] });
    expect((await get(sim, `conversations/${conversation.displayId}`)).json.labels).toEqual(['refund']);
  });

  it('clears every label when the body has no `labels` array', async () => {
    const conversation = sim.store.conversations[0]!;
    conversation.labels = ['billing'];
    await post(sim, `conversations/${conversation.displayId}/labels`, { labels: 'billing' });
    expect((await get(sim, `conversations/${conversation.displayId}/labels`)).json.payload).toEqual([]);
  });

  it('answers agent-bot tokens 401', async () => {
    const answer = await post(sim, `conversations/${sim.store.conversations[0]!.displayId}/labels`, { labels: [] }, sim.credentials.botToken);
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ error: 'Access to this endpoint is not authorized for bots' });
  });
});

describe('Chatwoot simulator: update_last_seen', () => {
  it('writes agent_last_seen_at now when messages are unread, without moving updated_at or last_activity_at', async () => {
    const conversation = sim.store.conversations[0]!;
    conversation.agentLastSeenAt = null;
    const before = (await get(sim, `conversations/${conversation.displayId}`)).json;
    const answer = await post(sim, `conversations/${conversation.displayId}/update_last_seen`, {});
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ id: conversation.displayId, agent_last_seen_at: seconds(clock), unread_count: 0 });
    expect(answer.json.updated_at).toBe(before.updated_at);
    expect(answer.json.last_activity_at).toBe(before.last_activity_at);
  });

  it('skips the write within an hour when nothing is unread (the throttle), and still answers 200', async () => {
    const conversation = sim.store.conversations[0]!;
    const seenAt = clock - 10 * 60_000;
    conversation.agentLastSeenAt = Math.max(seenAt, ...sim.store.messagesOf(conversation.displayId).map((m) => m.createdAt));
    const kept = conversation.agentLastSeenAt;
    const answer = await post(sim, `conversations/${conversation.displayId}/update_last_seen`, {});
    expect(answer.status).toBe(200);
    expect(answer.json.agent_last_seen_at).toBe(seconds(kept));
  });
});

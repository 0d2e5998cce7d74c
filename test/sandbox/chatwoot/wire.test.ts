import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatwootSimulator, type ChatwootSimulator } from '../../../src/sandbox/chatwoot/index.js';
import type { CwConversation } from '../../../src/sandbox/chatwoot/records.js';
import { get, NOW, startSmall, userOf, visibleInboxes } from './helpers.js';

let sim: ChatwootSimulator;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let listed: any[];

beforeAll(async () => {
  sim = await startSmall();
  listed = [];
  for (let page = 1; page <= 3; page++) listed.push(...(await get(sim, `conversations?status=all&page=${page}`)).json.data.payload);
});
afterAll(() => sim.close());

const CONVERSATION_KEYS = [
  'meta', 'id', 'messages', 'account_id', 'uuid', 'additional_attributes', 'agent_last_seen_at', 'assignee_last_seen_at',
  'can_reply', 'contact_last_seen_at', 'custom_attributes', 'inbox_id', 'labels', 'muted', 'snoozed_until', 'status',
  'created_at', 'updated_at', 'timestamp', 'first_reply_created_at', 'unread_count', 'last_non_activity_message',
  'last_activity_at', 'priority', 'waiting_since', 'sla_policy_id',
];
const AGENT_KEYS = ['id', 'account_id', 'availability_status', 'auto_offline', 'confirmed', 'email', 'provider', 'available_name', 'name', 'role', 'thumbnail'];
const seconds = (ms: number | null) => (ms === null ? 0 : Math.floor(ms / 1000));

function unread(c: CwConversation): number {
  const incoming = sim.store.messages.filter(
    (m) => m.conversationId === c.displayId && m.messageType === 0 && (c.agentLastSeenAt === null || m.createdAt > c.agentLastSeenAt),
  );
  return Math.min(incoming.length, 10);
}

describe('Chatwoot simulator: the conversation object', () => {
  it('carries every field of the conversation partial, in its order, typed as Chatwoot types them', () => {
    expect(listed).toHaveLength(60);
    for (const wire of listed) {
      const record = sim.store.conversation(wire.id)!;
      const thread = sim.store.messages.filter((m) => m.conversationId === record.displayId).sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
      expect(Object.keys(wire)).toEqual(CONVERSATION_KEYS);
      expect(wire).toMatchObject({
        id: record.displayId,
        account_id: 1,
        uuid: record.uuid,
        agent_last_seen_at: seconds(record.agentLastSeenAt),
        assignee_last_seen_at: seconds(record.assigneeLastSeenAt),
        contact_last_seen_at: seconds(record.contactLastSeenAt),
        inbox_id: record.inboxId,
        labels: record.labels,
        muted: false,
        snoozed_until: record.snoozedUntil === null ? null : new Date(record.snoozedUntil).toISOString(),
        status: record.status,
        created_at: seconds(record.createdAt),
        updated_at: record.updatedAtUs / 1e6,
        timestamp: seconds(record.lastActivityAt),
        last_activity_at: seconds(record.lastActivityAt),
        first_reply_created_at: seconds(record.firstReplyCreatedAt),
        waiting_since: seconds(record.waitingSince),
        unread_count: unread(record),
        priority: record.priority,
        sla_policy_id: null,
      });
      // Only the last message, in push_event_data form.
      expect(wire.messages.map((m: { id: number }) => m.id)).toEqual([thread.at(-1)!.id]);
      expect(wire.messages[0].conversation).toEqual({
        assignee_id: record.assigneeId,
        unread_count: unread(record),
        last_activity_at: seconds(record.lastActivityAt),
        contact_inbox: { source_id: record.sourceId },
      });
      expect(typeof wire.messages[0].updated_at).toBe('string');
      expect(wire.last_non_activity_message?.id ?? null).toBe(thread.filter((m) => m.messageType !== 2).at(-1)?.id ?? null);
      expect(wire.meta.channel).toBe(sim.store.inbox(record.inboxId)!.channelType);
      expect(wire.meta.sender.id).toBe(record.contactId);
      expect('team' in wire.meta).toBe(record.teamId !== null);
      if (record.assigneeAgentBotId !== null) {
        expect(wire.meta.assignee_type).toBe('AgentBot');
        expect(Object.keys(wire.meta.assignee)).toEqual(['id', 'name', 'description', 'thumbnail', 'outgoing_url', 'bot_type']);
        expect(wire.meta.assignee.id).toBe(record.assigneeAgentBotId);
      } else if (record.assigneeId !== null) {
        expect(wire.meta.assignee_type).toBe('User');
        expect(Object.keys(wire.meta.assignee)).toEqual(AGENT_KEYS);
        expect(wire.meta.assignee.id).toBe(record.assigneeId);
      } else {
        expect('assignee' in wire.meta).toBe(false);
        expect('assignee_type' in wire.meta).toBe(false);
      }
    }
  });

  it('covers the awkward values: 0 for never, float updated_at, ISO snoozed_until, bots, teams', () => {
    expect(listed.some((c) => c.first_reply_created_at === 0)).toBe(true);
    expect(listed.some((c) => c.waiting_since === 0)).toBe(true);
    expect(listed.some((c) => !Number.isInteger(c.updated_at))).toBe(true);
    expect(listed.some((c) => typeof c.snoozed_until === 'string')).toBe(true);
    expect(listed.some((c) => c.meta.assignee_type === 'AgentBot')).toBe(true);
    expect(listed.some((c) => !('assignee' in c.meta))).toBe(true);
    expect(listed.some((c) => 'team' in c.meta)).toBe(true);
    expect(listed.some((c) => c.last_non_activity_message?.private === true || c.messages[0].message_type === 2)).toBe(true);
    expect(new Set(sim.store.conversations.map((c) => c.status))).toEqual(new Set(['open', 'pending', 'snoozed', 'resolved']));
  });

  it('caps unread_count at 10', async () => {
    const target = sim.store.conversations.find((c) => c.agentLastSeenAt !== null && c.status === 'open')!;
    for (let i = 0; i < 12; i++) sim.addReply(target.displayId, { from: 'contact' });
    const show = await get(sim, `conversations/${target.displayId}`);
    expect(show.json.unread_count).toBe(10);
    expect(show.json.messages[0].conversation.unread_count).toBe(10);
  });

  it('answers GET conversations/{id} with the bare list object', async () => {
    const item = listed.find((c) => c.meta.assignee_type === 'User');
    const show = await get(sim, `conversations/${item.id}`);
    expect(show.status).toBe(200);
    expect(show.json).toEqual(item);
  });
});

describe('Chatwoot simulator: contacts, agents, inboxes and teams', () => {
  it('wraps a contact in payload, with its contact inboxes', async () => {
    const conversation = sim.store.conversations[0]!;
    const contact = sim.store.contact(conversation.contactId)!;
    const answer = await get(sim, `contacts/${contact.id}`);
    expect(Object.keys(answer.json)).toEqual(['payload']);
    expect(answer.json.payload).toMatchObject({ id: contact.id, name: contact.name, email: contact.email, identifier: contact.identifier, created_at: seconds(contact.createdAt) });
    expect(answer.json.payload.contact_inboxes).toContainEqual({ source_id: conversation.sourceId, inbox: expect.objectContaining({ id: conversation.inboxId }) });
  });

  it('lists agents as a bare array ordered by name', async () => {
    const answer = await get(sim, 'agents');
    expect(Array.isArray(answer.json)).toBe(true);
    const expected = [...sim.store.users].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
    expect(answer.json.map((a: { id: number }) => a.id)).toEqual(expected.map((u) => u.id));
    expect(Object.keys(answer.json[0])).toEqual(AGENT_KEYS);
    expect(new Set(answer.json.map((a: { role: string }) => a.role))).toEqual(new Set(['administrator', 'agent']));
  });

  it('wraps inboxes in payload: every inbox for an administrator, member inboxes for an agent', async () => {
    const all = await get(sim, 'inboxes');
    expect(Object.keys(all.json)).toEqual(['payload']);
    expect(all.json.payload.map((i: { id: number }) => i.id).sort()).toEqual(sim.store.inboxes.map((i) => i.id).sort());
    const names = all.json.payload.map((i: { name: string }) => i.name.toLowerCase());
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
    expect(all.json.payload[0]).toMatchObject({ id: expect.any(Number), channel_id: expect.any(Number), channel_type: expect.stringMatching(/^Channel::/) });
    const agentView = await get(sim, 'inboxes', sim.credentials.agentToken);
    const member = visibleInboxes(sim, userOf(sim, sim.credentials.agentToken));
    expect(new Set(agentView.json.payload.map((i: { id: number }) => i.id))).toEqual(member);
  });

  it('lists teams as a bare array with is_member for the caller', async () => {
    for (const token of [sim.credentials.token, sim.credentials.agentToken]) {
      const user = userOf(sim, token);
      const answer = await get(sim, 'teams', token);
      expect(answer.json).toEqual(
        sim.store.teams.map((t) => ({ id: t.id, name: t.name, description: t.description, allow_auto_assign: t.allowAutoAssign, account_id: 1, is_member: t.memberIds.includes(user.id) })),
      );
    }
  });
});

describe('Chatwoot simulator: determinism', () => {
  it('builds the same account from the same seed and a different one from another seed', async () => {
    const [a, b, c] = await Promise.all([7, 7, 8].map((seed) => startChatwootSimulator({ seed, conversations: 40, now: () => NOW })));
    try {
      const body = async (s: ChatwootSimulator) => (await get(s, 'conversations?status=all')).text + (await get(s, 'conversations/3/messages')).text;
      expect(a!.credentials).toEqual(b!.credentials);
      expect(await body(a!)).toBe(await body(b!));
      expect(await body(a!)).not.toBe(await body(c!));
    } finally {
      await Promise.all([a!.close(), b!.close(), c!.close()]);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatwootSimulator } from '../../../src/sandbox/chatwoot/index.js';
import type { CwConversation, CwMessage } from '../../../src/sandbox/chatwoot/records.js';
import { get, startSmall } from './helpers.js';

let sim: ChatwootSimulator;
let long: CwConversation;
let huge: CwConversation;

beforeAll(async () => {
  sim = await startSmall();
  long = [...sim.store.conversations].sort((a, b) => sim.store.messagesOf(b.displayId).length - sim.store.messagesOf(a.displayId).length)[0]!;
  huge = sim.store.conversations.find((c) => c !== long)!;
  for (let i = 0; i < 130; i++) sim.addReply(huge.displayId, { from: i % 3 === 0 ? 'agent' : 'contact', body: `line ${i}` });
});
afterAll(() => sim.close());

/** The thread as Chatwoot's default scope orders it: created_at, then id. */
const thread = (c: CwConversation): CwMessage[] =>
  sim.store.messages.filter((m) => m.conversationId === c.displayId).sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
const messageIds = (rows: CwMessage[]) => rows.map((m) => m.id);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const listed = async (c: CwConversation, query = '') => ((await get(sim, `conversations/${c.displayId}/messages${query}`)).json.payload as any[]).map((m) => m.id);

describe('Chatwoot simulator: GET conversations/{id}/messages', () => {
  it('returns the latest 20 in ascending order with the conversation meta', async () => {
    const all = thread(long);
    expect(all.length).toBeGreaterThan(25);
    const answer = await get(sim, `conversations/${long.displayId}/messages`);
    expect(Object.keys(answer.json)).toEqual(['meta', 'payload']);
    expect(answer.json.payload.map((m: { id: number }) => m.id)).toEqual(messageIds(all.slice(-20)));
    const contact = sim.store.contact(long.contactId)!;
    const assignee = long.assigneeId === null ? undefined : sim.store.user(long.assigneeId)!;
    expect(answer.json.meta).toEqual({
      labels: long.labels,
      additional_attributes: long.additionalAttributes,
      contact: {
        additional_attributes: {},
        custom_attributes: {},
        email: contact.email,
        id: contact.id,
        identifier: contact.identifier,
        name: contact.name,
        phone_number: contact.phoneNumber,
        thumbnail: contact.thumbnail,
        blocked: false,
        type: 'contact',
      },
      ...(assignee ? { assignee: expect.objectContaining({ id: assignee.id, type: 'user' }) } : {}),
      agent_last_seen_at: long.agentLastSeenAt === null ? null : new Date(long.agentLastSeenAt).toISOString(),
      assignee_last_seen_at: long.assigneeLastSeenAt === null ? null : new Date(long.assigneeLastSeenAt).toISOString(),
    });
  });

  it('sends last-seen times as ISO strings or null, never 0', async () => {
    const seen = sim.store.conversations.find((c) => c.agentLastSeenAt !== null)!;
    const unseen = sim.store.conversations.find((c) => c.assigneeLastSeenAt === null)!;
    expect((await get(sim, `conversations/${seen.displayId}/messages`)).json.meta.agent_last_seen_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect((await get(sim, `conversations/${unseen.displayId}/messages`)).json.meta.assignee_last_seen_at).toBeNull();
  });

  it('pages back with before: the 20 messages older than the id, still ascending', async () => {
    const all = thread(long);
    const pivot = all[all.length - 5]!.id;
    expect(await listed(long, `?before=${pivot}`)).toEqual(messageIds(all.filter((m) => m.id < pivot).slice(-20)));
    expect(await listed(long, `?before=${all[3]!.id}`)).toEqual(messageIds(all.slice(0, 3)));
  });

  it('reads after alone as exclusive and caps it at 100', async () => {
    const all = thread(huge);
    expect(all.length).toBeGreaterThan(110);
    const pivot = all[2]!.id;
    const answer = await listed(huge, `?after=${pivot}`);
    expect(answer).toEqual(messageIds(all.filter((m) => m.id > pivot).slice(0, 100)));
    expect(answer).not.toContain(pivot);
  });

  it('reads after with before as an inclusive-exclusive id range, up to 1000', async () => {
    const all = thread(huge);
    const from = all[2]!.id;
    const to = all[all.length - 1]!.id;
    const answer = await listed(huge, `?after=${from}&before=${to}`);
    expect(answer).toEqual(messageIds(all.filter((m) => m.id >= from && m.id < to)));
    expect(answer[0]).toBe(from);
    expect(answer.length).toBeGreaterThan(100);
  });

  it('drops private notes and activity messages with filter_internal_messages', async () => {
    const withInternal = sim.store.conversations.find((c) => thread(c).some((m) => m.private) && thread(c).some((m) => m.messageType === 2))!;
    expect(withInternal).toBeDefined();
    const visible = thread(withInternal).filter((m) => !m.private && m.messageType !== 2);
    expect(await listed(withInternal, '?filter_internal_messages=true')).toEqual(messageIds(visible.slice(-20)));
    expect(await listed(withInternal, '?filter_internal_messages=')).toEqual(messageIds(thread(withInternal).slice(-20)));
  });

  it('reads ids with to_i: before=abc is before 0, after=abc is after 0', async () => {
    expect(await listed(long, '?before=abc')).toEqual([]);
    expect(await listed(huge, '?after=abc')).toEqual(messageIds(thread(huge).slice(0, 100)));
  });

  it('serialises each sender kind with its push_event_data, and no sender for activity', async () => {
    const all = sim.store.messages;
    const samples = [
      all.find((m) => m.senderType === 'Contact')!,
      all.find((m) => m.senderType === 'User')!,
      all.find((m) => m.senderType === 'AgentBot')!,
      all.find((m) => m.messageType === 2)!,
    ];
    for (const message of samples) {
      const answer = await get(sim, `conversations/${message.conversationId}/messages?after=${message.id - 1}&before=${message.id + 1}`);
      const [wire] = answer.json.payload;
      expect(wire).toMatchObject({
        id: message.id,
        content: message.content,
        inbox_id: message.inboxId,
        conversation_id: message.conversationId,
        message_type: message.messageType,
        private: message.private,
        created_at: Math.floor(message.createdAt / 1000),
        source_id: null,
      });
      const keys = ['id', 'content', 'inbox_id', 'conversation_id', 'message_type', 'content_type', 'status', 'content_attributes', 'created_at', 'private', 'source_id'];
      if (message.senderType) keys.push('sender');
      if (message.attachments.length) keys.push('attachments');
      expect(Object.keys(wire)).toEqual(keys);
      if (message.senderType === 'Contact') expect(wire.sender).toMatchObject({ id: message.senderId, type: 'contact' });
      if (message.senderType === 'User') expect(Object.keys(wire.sender)).toEqual(['id', 'name', 'available_name', 'avatar_url', 'type', 'availability_status', 'thumbnail']);
      if (message.senderType === 'AgentBot') {
        expect(wire.sender).toEqual({ id: message.senderId, name: expect.any(String), avatar_url: expect.any(String), type: 'agent_bot' });
        expect(wire.message_type).toBe(3);
      }
    }
  });

  it('numbers messages with global ids (gaps between them) and names the conversation by display id', async () => {
    const all = thread(long);
    const gaps = all.slice(1).map((m, i) => m.id - all[i]!.id);
    expect(gaps.some((g) => g > 1)).toBe(true);
    const answer = await get(sim, `conversations/${long.displayId}/messages`);
    expect(new Set(answer.json.payload.map((m: { conversation_id: number }) => m.conversation_id))).toEqual(new Set([long.displayId]));
  });
});

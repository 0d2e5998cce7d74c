import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatwootSimulator } from '../../../src/sandbox/chatwoot/index.js';
import { byLastActivityDesc, get, NOW, post, startSmall, userOf } from './helpers.js';

/** Written from research B.1/B.2 (messages_controller#create, MessageBuilder, Message callbacks). */

let sim: ChatwootSimulator;
let clock: number;
beforeEach(async () => {
  clock = NOW;
  sim = await startSmall({ conversations: 20, now: () => clock });
  // Writes happen a minute after the generated data, so moved clocks are visible.
  clock = NOW + 60_000;
});
afterEach(() => sim.close());

/** A conversation in a non-API inbox, and one in the API inbox. */
function conversationIn(api: boolean) {
  return sim.store.conversations.find((c) => (sim.store.inbox(c.inboxId)!.channelType === 'Channel::Api') === api)!;
}

describe('Chatwoot simulator: POST …/conversations/{id}/messages', () => {
  it('stores an outgoing reply from the token’s user, answers the message partial, and lists it last in the thread', async () => {
    const conversation = conversationIn(false);
    const admin = userOf(sim, sim.credentials.token);
    const answer = await post(sim, `conversations/${conversation.displayId}/messages`, {
      content: 'We refunded you.',
      message_type: 'outgoing',
      private: false,
      content_attributes: { parley_marker: 'm-1' },
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      content: 'We refunded you.',
      conversation_id: conversation.displayId,
      message_type: 1,
      private: false,
      created_at: Math.floor(clock / 1000),
      content_attributes: { parley_marker: 'm-1' },
      sender: { id: admin.id, type: 'user' },
    });
    const thread = await get(sim, `conversations/${conversation.displayId}/messages`);
    expect(thread.json.payload.at(-1)).toMatchObject({ id: answer.json.id, content: 'We refunded you.', content_attributes: { parley_marker: 'm-1' } });
  });

  it('defaults to an outgoing public message, and `private: true` makes a note', async () => {
    const conversation = conversationIn(false);
    const reply = await post(sim, `conversations/${conversation.displayId}/messages`, { content: 'plain' });
    const note = await post(sim, `conversations/${conversation.displayId}/messages`, { content: 'internal', private: true });
    expect(reply.json).toMatchObject({ message_type: 1, private: false });
    expect(note.json).toMatchObject({ message_type: 1, private: true });
  });

  it('moves the conversation’s last_activity_at to the message and updated_at to now, so it heads the default list', async () => {
    const conversation = byLastActivityDesc(sim.store.conversations).at(-1)!;
    await post(sim, `conversations/${conversation.displayId}/messages`, { content: 'bump' });
    const shown = await get(sim, `conversations/${conversation.displayId}`);
    expect(shown.json.last_activity_at).toBe(Math.floor(clock / 1000));
    expect(shown.json.updated_at).toBe(clock / 1000);
    const list = await get(sim, 'conversations?status=all');
    expect(list.json.data.payload[0].id).toBe(conversation.displayId);
  });

  it('echoes `echo_id` in the create answer only: it is never stored', async () => {
    const conversation = conversationIn(false);
    const answer = await post(sim, `conversations/${conversation.displayId}/messages`, { content: 'x', echo_id: 'tmp-1' });
    expect(answer.json.echo_id).toBe('tmp-1');
    const thread = await get(sim, `conversations/${conversation.displayId}/messages`);
    expect(thread.json.payload.at(-1)).not.toHaveProperty('echo_id');
  });

  it('drops content_attributes when played with the reading contentAttributesKept: false', async () => {
    sim.setReadings({ contentAttributesKept: false });
    const conversation = conversationIn(false);
    const answer = await post(sim, `conversations/${conversation.displayId}/messages`, { content: 'x', content_attributes: { parley_marker: 'm-2' } });
    expect(answer.json.content_attributes).toEqual({});
    const thread = await get(sim, `conversations/${conversation.displayId}/messages`);
    expect(thread.json.payload.at(-1).content_attributes).toEqual({});
  });

  it('refuses an incoming message outside an API inbox with 422 {"error"} and stores nothing', async () => {
    const conversation = conversationIn(false);
    const before = sim.store.messagesOf(conversation.displayId).length;
    const answer = await post(sim, `conversations/${conversation.displayId}/messages`, { content: 'x', message_type: 'incoming' });
    expect(answer.status).toBe(422);
    expect(answer.json).toEqual({ error: 'Incoming messages are only allowed in Api inboxes' });
    expect(sim.store.messagesOf(conversation.displayId)).toHaveLength(before);
  });

  it('answers 404 {"error":"Resource could not be found"} for an unknown display id', async () => {
    const answer = await post(sim, 'conversations/99999/messages', { content: 'x' });
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ error: 'Resource could not be found' });
  });

  it('attributes a message to the agent whose token sent it, and answers 401 for an inbox the agent is not in', async () => {
    const agent = userOf(sim, sim.credentials.agentToken);
    const visible = sim.store.conversations.find((c) => sim.store.inbox(c.inboxId)!.memberIds.includes(agent.id))!;
    const hidden = sim.store.conversations.find((c) => !sim.store.inbox(c.inboxId)!.memberIds.includes(agent.id))!;
    const mine = await post(sim, `conversations/${visible.displayId}/messages`, { content: 'from the agent' }, sim.credentials.agentToken);
    expect(mine.json.sender).toMatchObject({ id: agent.id, type: 'user' });
    const refused = await post(sim, `conversations/${hidden.displayId}/messages`, { content: 'x' }, sim.credentials.agentToken);
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual({ error: 'You are not authorized to do this action' });
  });

  it('lets an agent-bot token post (the sender is the bot) but not read', async () => {
    const conversation = conversationIn(false);
    const answer = await post(sim, `conversations/${conversation.displayId}/messages`, { content: 'bot says' }, sim.credentials.botToken);
    expect(answer.status).toBe(200);
    expect(answer.json.sender).toMatchObject({ id: sim.store.agentBots[0]!.id });
    expect((await get(sim, `conversations/${conversation.displayId}/messages`, sim.credentials.botToken)).status).toBe(401);
  });

  it('stores the message and then fails the answer for an afterCommit fault', async () => {
    const conversation = conversationIn(false);
    const before = sim.store.messagesOf(conversation.displayId).length;
    sim.addFault({ kind: 'error', status: 502, count: 1, method: 'POST', afterCommit: true });
    const answer = await post(sim, `conversations/${conversation.displayId}/messages`, { content: 'lost answer' });
    expect(answer.status).toBe(502);
    expect(sim.store.messagesOf(conversation.displayId)).toHaveLength(before + 1);
    expect(sim.requests().at(-1)).toMatchObject({ method: 'POST', status: 502, committed: 200 });
  });

  it('records each write request with its body', async () => {
    const conversation = conversationIn(false);
    sim.resetWrites();
    await post(sim, `conversations/${conversation.displayId}/messages`, { content: 'x', private: true });
    expect(sim.writes()).toEqual([{ method: 'POST', path: `/api/v1/accounts/1/conversations/${conversation.displayId}/messages`, body: { content: 'x', private: true } }]);
  });
});

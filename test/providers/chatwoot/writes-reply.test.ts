import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceError, UpstreamNotFound } from '../../../src/http/errors.js';
import { WriteRefused } from '../../../src/providers/write-contract.js';
import { calls, replyRequest, sharedConversation, startWriteWorld, stopWriteWorld, type WriteWorld } from './write-setup.js';

let world: WriteWorld;
beforeEach(async () => {
  world = await startWriteWorld();
});
afterEach(() => stopWriteWorld(world));

/** The thread as the simulator holds it: its own records, not the adapter's reading. */
const thread = (displayId: number) => world.sim.store.messagesOf(displayId);

describe('Chatwoot writer: reply and note', () => {
  it('posts one outgoing public message with the marker in content_attributes, then reads the conversation once', async () => {
    const conversation = sharedConversation(world);
    const before = thread(conversation.displayId).length;
    world.sim.resetRequests();
    const result = await world.writer.reply(replyRequest(conversation, world), world.adminActor, {});

    const stored = thread(conversation.displayId);
    expect(stored).toHaveLength(before + 1);
    expect(stored.at(-1)).toMatchObject({ content: 'Your refund is on its way.', messageType: 1, private: false, senderType: 'User', senderId: world.admin.id, contentAttributes: { parley_marker: 'pk-0001-abc' } });
    expect(world.sim.writes()).toEqual([
      {
        method: 'POST',
        path: `/api/v1/accounts/1/conversations/${conversation.displayId}/messages`,
        body: { content: 'Your refund is on its way.', message_type: 'outgoing', private: false, content_attributes: { parley_marker: 'pk-0001-abc' } },
      },
    ]);
    expect(calls(world)).toEqual([`POST /conversations/${conversation.displayId}/messages`, `GET /conversations/${conversation.displayId}`]);
    expect(result.changed).toBe(true);
    expect(result.part).toMatchObject({ nativeId: String(stored.at(-1)!.id), kind: 'ADMIN_REPLY', body: 'Your refund is on its way.', internal: false, author: { kind: 'ADMIN', id: String(world.admin.id) } });
    expect(result.detail?.conversation.lastPart?.nativeId).toBe(String(stored.at(-1)!.id));
    expect(result.detail?.conversation.lastUpdateMicros).toBe(world.clock.now * 1000);
  });

  it('posts a note as a private message', async () => {
    const conversation = sharedConversation(world);
    const result = await world.writer.reply(replyRequest(conversation, world, { internal: true }), world.adminActor, {});
    expect(thread(conversation.displayId).at(-1)).toMatchObject({ private: true, messageType: 1 });
    expect(world.sim.writes()[0]!.body).toMatchObject({ private: true, message_type: 'outgoing' });
    expect(result.part?.kind).toBe('NOTE');
  });

  it('writes with the acting agent’s own token, so Chatwoot attributes the message to that agent', async () => {
    const conversation = sharedConversation(world);
    await world.writer.reply(replyRequest(conversation, world), world.agentActor, {});
    expect(thread(conversation.displayId).at(-1)).toMatchObject({ senderType: 'User', senderId: world.agent.id });
  });

  it('still reports a stored reply when the read after it fails (detail null), so it is never taken for a failed send', async () => {
    const conversation = sharedConversation(world);
    world.sim.addFault({ kind: 'error', status: 500, count: 3, method: 'GET' });
    const result = await world.writer.reply(replyRequest(conversation, world), world.adminActor, {});
    expect(result.detail).toBeNull();
    expect(result.part?.nativeId).toBe(String(thread(conversation.displayId).at(-1)!.id));
  });

  it('refuses attachments by URL before any call', async () => {
    const conversation = sharedConversation(world);
    world.sim.resetRequests();
    const attempt = world.writer.reply(replyRequest(conversation, world, { attachmentUrls: ['https://example.com/a.png'] }), world.adminActor, {});
    await expect(attempt).rejects.toMatchObject({ name: 'WriteRefused', reason: 'REJECTED', field: 'attachmentUrls' });
    expect(world.sim.requests()).toEqual([]);
  });

  it('maps Chatwoot’s 422 to WriteRefused, and an unknown conversation to UpstreamNotFound', async () => {
    const conversation = sharedConversation(world);
    const tooLong = world.writer.reply(replyRequest(conversation, world, { body: 'x'.repeat(150_001) }), world.adminActor, {});
    await expect(tooLong).rejects.toBeInstanceOf(WriteRefused);
    await expect(world.writer.reply({ ...replyRequest(conversation, world), conversationId: '99999' }, world.adminActor, {})).rejects.toBeInstanceOf(UpstreamNotFound);
  });

  it('a refusal (401: the agent is not in the inbox) is not maybeApplied and stores nothing', async () => {
    const hidden = world.sim.store.conversations.find((c) => !world.sim.store.inbox(c.inboxId)!.memberIds.includes(world.agent.id))!;
    const before = thread(hidden.displayId).length;
    const error = await world.writer.reply(replyRequest(hidden, world), world.agentActor, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).details.maybeApplied).toBe(false);
    expect(thread(hidden.displayId)).toHaveLength(before);
  });
});

describe('Chatwoot writer: uncertain replies and read-back', () => {
  for (const fault of [{ kind: 'error' as const, status: 500 }, { kind: 'reset' as const }]) {
    it(`a ${fault.kind} after commit is maybeApplied, was sent once, and findReply finds the one stored message`, async () => {
      const conversation = sharedConversation(world);
      const before = thread(conversation.displayId).length;
      world.sim.addFault({ ...fault, count: 1, method: 'POST', afterCommit: true });
      const request = replyRequest(conversation, world);
      const error = await world.writer.reply(request, world.adminActor, {}).catch((e: unknown) => e);
      expect((error as SourceError).details.maybeApplied).toBe(true);
      expect(world.sim.writes()).toHaveLength(1);
      expect(thread(conversation.displayId)).toHaveLength(before + 1);
      const found = await world.writer.findReply(request, world.adminActor, {});
      expect(found?.nativeId).toBe(String(thread(conversation.displayId).at(-1)!.id));
    });
  }

  it('a reset before the write is carried out leaves nothing, and findReply answers null', async () => {
    const conversation = sharedConversation(world);
    const before = thread(conversation.displayId).length;
    world.sim.addFault({ kind: 'reset', count: 1, method: 'POST' });
    const request = replyRequest(conversation, world);
    const error = await world.writer.reply(request, world.adminActor, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(thread(conversation.displayId)).toHaveLength(before);
    expect(world.sim.requests().filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(await world.writer.findReply(request, world.adminActor, {})).toBeNull();
  });

  it('does not take another reply with the same body but another marker for this one', async () => {
    const conversation = sharedConversation(world);
    await world.writer.reply(replyRequest(conversation, world, { marker: 'pk-other' }), world.adminActor, {});
    expect(await world.writer.findReply(replyRequest(conversation, world), world.adminActor, {})).toBeNull();
  });

  it('finds the reply behind newer messages, on an older page of the thread', async () => {
    const conversation = sharedConversation(world);
    const request = replyRequest(conversation, world);
    const posted = await world.writer.reply(request, world.adminActor, {});
    for (let i = 0; i < 25; i += 1) world.sim.addReply(conversation.displayId, { from: 'contact', body: `follow-up ${i}` });
    expect((await world.writer.findReply(request, world.adminActor, {}))?.nativeId).toBe(posted.part?.nativeId);
  });

  describe('where Chatwoot drops content_attributes (reading contentAttributesKept: false)', () => {
    beforeEach(() => world.sim.setReadings({ contentAttributesKept: false }));

    it('finds the reply by author, body and time, and not an older identical message', async () => {
      const conversation = sharedConversation(world);
      const request = replyRequest(conversation, world);
      // The same agent wrote the same words ten minutes before this reply's first attempt.
      world.clock.now -= 10 * 60_000;
      await world.writer.reply(replyRequest(conversation, world, { marker: 'pk-old' }), world.adminActor, {});
      world.clock.now += 10 * 60_000;
      expect(await world.writer.findReply(request, world.adminActor, {})).toBeNull();

      world.sim.addFault({ kind: 'error', status: 502, count: 1, method: 'POST', afterCommit: true });
      await world.writer.reply(request, world.adminActor, {}).catch(() => undefined);
      const found = await world.writer.findReply(request, world.adminActor, {});
      expect(found?.nativeId).toBe(String(thread(conversation.displayId).at(-1)!.id));
    });

    it('does not take the same words from another agent for the acting agent’s reply', async () => {
      const conversation = sharedConversation(world);
      const request = replyRequest(conversation, world);
      await world.writer.reply(request, world.agentActor, {});
      expect(await world.writer.findReply(request, world.adminActor, {})).toBeNull();
    });
  });
});

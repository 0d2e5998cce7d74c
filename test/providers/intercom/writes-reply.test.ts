import { afterEach, describe, expect, it } from 'vitest';
import { SourceError, UpstreamNotFound } from '../../../src/http/errors.js';
import type { IntercomReadings } from '../../../src/sandbox/intercom/index.js';
import { conversationWhere, partsOf, replyRequest, startWriteWorld, stopWriteWorld, WRITE_SECONDS, writesSent, type WriteWorld } from './writes-setup.js';

let world: WriteWorld;
afterEach(() => stopWriteWorld(world));

const openOne = (skip = 0) => conversationWhere(world, (c) => c.state === 'open', skip);

describe('Intercom writer: reply and note', () => {
  for (const replyBody of ['paragraphs', 'as-sent'] as const) {
    it(`posts one comment as the acting teammate and maps the new part from the answer, with no read after (replyBody ${replyBody})`, async () => {
      world = await startWriteWorld({ replyBody });
      const conversation = openOne();
      const before = partsOf(world, conversation.id).length;
      const result = await world.writer.reply(replyRequest(conversation, world, { body: 'Fish & <chips>\nsecond line' }), world.actor, {});

      const stored = partsOf(world, conversation.id);
      expect(stored).toHaveLength(before + 1);
      const part = stored.at(-1)!;
      expect(part).toMatchObject({ part_type: 'comment', author: { type: 'admin', id: world.actor.adminId }, created_at: WRITE_SECONDS });
      expect(part.body).toBe(replyBody === 'paragraphs' ? '<p>Fish &amp; &lt;chips&gt;</p><p>second line</p>' : 'Fish & <chips>\nsecond line');
      expect(world.calls()).toEqual([`POST /conversations/${conversation.id}/reply`]);
      expect(result.changed).toBe(true);
      expect(result.part).toMatchObject({
        nativeId: part.id,
        conversationId: conversation.id,
        kind: 'ADMIN_REPLY',
        nativeType: 'comment',
        body: part.body,
        internal: false,
        createdAt: WRITE_SECONDS * 1000,
        author: { kind: 'ADMIN', id: world.actor.adminId },
      });
      expect(result.detail?.conversation).toMatchObject({ nativeId: conversation.id, lastUpdateMicros: WRITE_SECONDS * 1e6 });
      expect(result.detail?.conversation.lastPart?.nativeId).toBe(part.id);
    });
  }

  it('posts a note as message_type note, and passes attachment URLs', async () => {
    world = await startWriteWorld();
    const conversation = openOne();
    const result = await world.writer.reply(replyRequest(conversation, world, { internal: true, attachmentUrls: ['https://files.example.com/invoice.pdf'] }), world.actor, {});
    const part = partsOf(world, conversation.id).at(-1)!;
    expect(part).toMatchObject({ part_type: 'note', attachments: [{ url: 'https://files.example.com/invoice.pdf', name: 'invoice.pdf' }] });
    expect(result.part).toMatchObject({ nativeId: part.id, kind: 'NOTE', internal: true, attachments: [{ url: 'https://files.example.com/invoice.pdf' }] });
  });

  it('with closes, adds one close part after the reply and answers the closed conversation', async () => {
    world = await startWriteWorld();
    const conversation = openOne();
    const result = await world.writer.reply(replyRequest(conversation, world, { closes: true }), world.actor, {});
    expect(world.sim.store.conversation(conversation.id)!.state).toBe('closed');
    expect(partsOf(world, conversation.id).slice(-2).map((p) => p.part_type)).toEqual(['comment', 'close']);
    expect(world.calls()).toEqual([`POST /conversations/${conversation.id}/reply`, `POST /conversations/${conversation.id}/parts`]);
    expect(result.detail?.conversation.status).toBe('CLOSED');
    expect(result.part?.nativeType).toBe('comment');
  });

  it('with closes on a conversation the reply left closed, sends no close part', async () => {
    world = await startWriteWorld({ adminReplyReopens: false });
    const conversation = conversationWhere(world, (c) => c.state === 'closed');
    await world.writer.reply(replyRequest(conversation, world, { closes: true }), world.actor, {});
    expect(world.calls()).toEqual([`POST /conversations/${conversation.id}/reply`]);
    expect(world.sim.store.conversation(conversation.id)!.state).toBe('closed');
  });

  it('with closes where a reply reopens (adminReplyReopens), closes it again', async () => {
    world = await startWriteWorld({ adminReplyReopens: true });
    const conversation = conversationWhere(world, (c) => c.state === 'closed');
    const result = await world.writer.reply(replyRequest(conversation, world, { closes: true }), world.actor, {});
    expect(world.calls()).toHaveLength(2);
    expect(world.sim.store.conversation(conversation.id)!.state).toBe('closed');
    expect(result.detail?.conversation.status).toBe('CLOSED');
  });

  it('a close that fails after the reply leaves the reply standing (the caller closes again)', async () => {
    world = await startWriteWorld();
    const conversation = openOne();
    world.sim.addFault({ kind: 'error', status: 500, count: 1, method: 'POST', pathIncludes: '/parts' });
    const result = await world.writer.reply(replyRequest(conversation, world, { closes: true }), world.actor, {});
    expect(result.part?.nativeId).toBe(partsOf(world, conversation.id).at(-1)!.id);
    expect(result.detail?.conversation.status).toBe('OPEN');
  });

  it('an unknown conversation is UpstreamNotFound; an id Intercom cannot have sends nothing', async () => {
    world = await startWriteWorld();
    const conversation = openOne();
    await expect(world.writer.reply({ ...replyRequest(conversation, world), conversationId: '999999999' }, world.actor, {})).rejects.toBeInstanceOf(UpstreamNotFound);
    world.resetCalls();
    await expect(world.writer.reply({ ...replyRequest(conversation, world), conversationId: '../admins' }, world.actor, {})).rejects.toBeInstanceOf(UpstreamNotFound);
    expect(world.calls()).toEqual([]);
  });

  it('a body Intercom refuses (400) is WriteRefused REJECTED on body, not maybeApplied', async () => {
    world = await startWriteWorld();
    const conversation = openOne();
    const error = await world.writer.reply(replyRequest(conversation, world, { body: '   ' }), world.actor, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'WriteRefused', reason: 'REJECTED', field: 'body' });
    expect((error as Error).message).toContain('HTTP 400');
  });

  it('an acting adminId the workspace does not have is refused before anything is sent, without the token in the message', async () => {
    world = await startWriteWorld();
    const conversation = openOne();
    const error = await world.writer.reply(replyRequest(conversation, world), { adminId: '999999999' }, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: 'SOURCE_AUTH_FAILED', details: { maybeApplied: false } });
    expect((error as Error).message).not.toContain(world.sim.credentials.token);
    await expect(world.writer.reply(replyRequest(conversation, world), { userId: '1' }, {})).rejects.toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
    expect(world.calls()).toEqual([]);
  });
});

describe('Intercom writer: uncertain replies and findReply', () => {
  for (const fault of [{ kind: 'error' as const, status: 500 }, { kind: 'reset' as const }]) {
    it(`a ${fault.kind} after commit is maybeApplied, was sent once, and findReply finds the one stored part with one read`, async () => {
      world = await startWriteWorld();
      const conversation = openOne();
      const before = partsOf(world, conversation.id).length;
      world.sim.addFault({ ...fault, count: 1, method: 'POST', afterCommit: true });
      const request = replyRequest(conversation, world);
      const error = await world.writer.reply(request, world.actor, {}).catch((e: unknown) => e);
      expect((error as SourceError).details.maybeApplied).toBe(true);
      expect(writesSent(world)).toHaveLength(1);
      expect(partsOf(world, conversation.id)).toHaveLength(before + 1);
      world.resetCalls();
      const found = await world.writer.findReply(request, world.actor, {});
      expect(found?.nativeId).toBe(partsOf(world, conversation.id).at(-1)!.id);
      expect(world.calls()).toEqual([`GET /conversations/${conversation.id}`]);
    });
  }

  it('a reset before the write is carried out leaves nothing, and findReply answers null', async () => {
    world = await startWriteWorld();
    const conversation = openOne();
    const before = partsOf(world, conversation.id).length;
    world.sim.addFault({ kind: 'reset', count: 1, method: 'POST' });
    const request = replyRequest(conversation, world);
    expect(await world.writer.reply(request, world.actor, {}).catch((e: unknown) => e)).toBeInstanceOf(SourceError);
    expect(partsOf(world, conversation.id)).toHaveLength(before);
    expect(writesSent(world)).toHaveLength(1);
    expect(await world.writer.findReply(request, world.actor, {})).toBeNull();
  });

  const readings: Array<Partial<IntercomReadings>> = [{ replyBody: 'paragraphs' }, { replyBody: 'as-sent' }];
  for (const reading of readings) {
    describe(`replyBody ${reading.replyBody}`, () => {
      it('finds a multi-line reply with markup characters by author, type, body and time', async () => {
        world = await startWriteWorld(reading);
        const conversation = openOne();
        const request = replyRequest(conversation, world, { body: 'Line <one> & "two"\n\nthree' });
        world.sim.addFault({ kind: 'error', status: 502, count: 1, method: 'POST', afterCommit: true });
        await world.writer.reply(request, world.actor, {}).catch(() => undefined);
        expect((await world.writer.findReply(request, world.actor, {}))?.nativeId).toBe(partsOf(world, conversation.id).at(-1)!.id);
      });

      it('does not take an older identical message from the same teammate for this reply', async () => {
        world = await startWriteWorld(reading);
        const conversation = openOne();
        // The same teammate wrote the same words ten minutes before this reply's first attempt.
        world.clock.now -= 10 * 60_000;
        await world.writer.reply(replyRequest(conversation, world), world.actor, {});
        world.clock.now += 10 * 60_000;
        const request = replyRequest(conversation, world);
        expect(await world.writer.findReply(request, world.actor, {})).toBeNull();

        world.sim.addFault({ kind: 'error', status: 502, count: 1, method: 'POST', afterCommit: true });
        await world.writer.reply(request, world.actor, {}).catch(() => undefined);
        expect((await world.writer.findReply(request, world.actor, {}))?.nativeId).toBe(partsOf(world, conversation.id).at(-1)!.id);
      });

      it('does not take the same words from another teammate, as a note, or other words', async () => {
        world = await startWriteWorld(reading);
        const conversation = openOne();
        const request = replyRequest(conversation, world);
        await world.writer.reply(request, { adminId: world.otherAdminId }, {});
        await world.writer.reply({ ...request, internal: true }, world.actor, {});
        await world.writer.reply({ ...request, body: `${request.body} Thanks!` }, world.actor, {});
        expect(await world.writer.findReply(request, world.actor, {})).toBeNull();
      });
    });
  }

  it("finds a reply that landed while Intercom's clock trailed Parley's by a few seconds", async () => {
    world = await startWriteWorld();
    const conversation = openOne();
    // Parley's clock reads 3 s later than the simulator's when the first attempt starts.
    const request = replyRequest(conversation, world, { firstAttemptAt: world.clock.now + 3_000 });
    world.sim.addFault({ kind: 'error', status: 502, count: 1, method: 'POST', afterCommit: true });
    await world.writer.reply(request, world.actor, {}).catch(() => undefined);
    expect((await world.writer.findReply(request, world.actor, {}))?.nativeId).toBe(partsOf(world, conversation.id).at(-1)!.id);
  });

  it('findReply on a conversation that is gone answers null', async () => {
    world = await startWriteWorld();
    const conversation = openOne();
    expect(await world.writer.findReply({ ...replyRequest(conversation, world), conversationId: '999999999' }, world.actor, {})).toBeNull();
  });
});

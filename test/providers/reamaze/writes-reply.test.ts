import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors/codes.js';
import { SourceError, UpstreamNotFound } from '../../../src/http/errors.js';
import { WriteRefused } from '../../../src/providers/write-contract.js';
import { calls, openConversation, replyRequest, failure, startRig, type WriteRig } from './write-setup.js';

let rig: WriteRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const MINUTE = 60_000;
const messagesPath = (slug: string) => `/api/v1/conversations/${slug}/messages`;

describe('Re:amaze writer: reply', () => {
  it('posts one message with the marker as origin_id and suppress_autoresolve, and maps the new part and the conversation', async () => {
    rig = await startRig();
    const c = openConversation(rig.sim);
    const before = c.messages.length;
    rig.sim.resetRequests();

    const result = await rig.writer.reply(replyRequest(c.slug), rig.actor, {});

    expect(rig.sim.writes()).toEqual([
      {
        method: 'POST',
        path: messagesPath(c.slug),
        login: rig.sim.credentials.email,
        body: { message: { body: 'Your refund went out today.', visibility: 0, origin_id: 'pz-0001', suppress_autoresolve: true } },
      },
    ]);
    // One write, then the conversation and the thread's one page read back (in parallel).
    expect(calls(rig.sim).sort()).toEqual([`GET /api/v1/conversations/${c.slug}`, `GET ${messagesPath(c.slug)}`, `POST ${messagesPath(c.slug)}`]);
    // Provider side: one new staff message, last, by the login; the conversation stays open.
    expect(c.messages).toHaveLength(before + 1);
    expect(c.messages.at(-1)).toMatchObject({ body: 'Your refund went out today.', visibility: 0, originId: 'pz-0001', user: { email: rig.sim.credentials.email } });
    expect(c.status).toBe(0);

    expect(result.changed).toBe(true);
    expect(result.part).toMatchObject({ nativeId: `${c.slug}#${before}`, kind: 'ADMIN_REPLY', internal: false, body: 'Your refund went out today.', createdAt: rig.clock.now() });
    expect(result.part?.author).toEqual({ kind: 'ADMIN', id: rig.sim.credentials.email });
    expect(result.detail?.conversation).toMatchObject({ nativeId: c.slug, status: 'OPEN', partsCount: before + 1, lastUpdateMicros: rig.clock.now() * 1000 });
  });

  it('lets the reply resolve the conversation when the caller closes with it', async () => {
    rig = await startRig();
    const c = openConversation(rig.sim);
    const result = await rig.writer.reply(replyRequest(c.slug, { closes: true }), rig.actor, {});
    expect((rig.sim.writes()[0]!.body as any).message.suppress_autoresolve).toBe(false);
    expect(c.status).toBe(2);
    expect(result.detail?.conversation.status).toBe('CLOSED');
  });

  it('posts a note as visibility 1 and maps it as an internal NOTE', async () => {
    rig = await startRig();
    const c = openConversation(rig.sim);
    const result = await rig.writer.reply(replyRequest(c.slug, { internal: true, body: 'VIP, be quick' }), rig.actor, {});
    expect((rig.sim.writes()[0]!.body as any).message).toEqual({ body: 'VIP, be quick', visibility: 1, origin_id: 'pz-0001', suppress_autoresolve: true });
    expect(c.messages.at(-1)).toMatchObject({ visibility: 1, body: 'VIP, be quick' });
    expect(result.part).toMatchObject({ kind: 'NOTE', internal: true });
  });

  it('sends one attachment URL, and refuses two without a call', async () => {
    rig = await startRig();
    const c = openConversation(rig.sim);
    const url = 'https://files.example.com/invoice.pdf';
    const result = await rig.writer.reply(replyRequest(c.slug, { attachmentUrls: [url] }), rig.actor, {});
    expect((rig.sim.writes()[0]!.body as any).message.attachment).toBe(url);
    expect(result.part?.attachments).toEqual([expect.objectContaining({ url, name: 'invoice.pdf' })]);

    rig.sim.resetRequests();
    const refused = await failure(rig.writer.reply(replyRequest(c.slug, { attachmentUrls: [url, url], marker: 'pz-2' }), rig.actor, {}));
    expect(refused).toBeInstanceOf(WriteRefused);
    expect(refused).toMatchObject({ reason: 'REJECTED', field: 'attachmentUrls' });
    expect(rig.sim.requests()).toEqual([]);
  });

  it('acts as another staff member with their own token; without a token for them it sends nothing', async () => {
    const probe = await startRig();
    const other = probe.sim.store.staff.find((s) => !s.isBot && s.email !== probe.sim.credentials.email)!.email;
    await probe.close();
    rig = await startRig({ staffTokens: { [other]: 'tok-other' } });
    const c = openConversation(rig.sim);
    await rig.writer.reply(replyRequest(c.slug), { staffEmail: other, apiToken: 'tok-other' }, {});
    expect(rig.sim.writes().map((w) => w.login)).toEqual([other]);
    expect(c.messages.at(-1)!.user.email).toBe(other);

    rig.sim.resetRequests();
    const error = await failure(rig.writer.reply(replyRequest(c.slug, { marker: 'pz-2' }), { staffEmail: other }, {}));
    expect(error).toMatchObject({ code: ErrorCode.SOURCE_AUTH_FAILED, details: { maybeApplied: false } });
    expect(rig.sim.requests()).toEqual([]);
  });

  it('a token the provider refuses (403) is an auth failure that surely applied nothing', async () => {
    rig = await startRig();
    const c = openConversation(rig.sim);
    const count = c.messages.length;
    const error = await failure(rig.writer.reply(replyRequest(c.slug), { staffEmail: rig.sim.credentials.email, apiToken: 'wrong' }, {}));
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: ErrorCode.SOURCE_AUTH_FAILED, details: { status: 403, maybeApplied: false } });
    expect(c.messages).toHaveLength(count);
    // Neither the acting token nor its Basic pair is in the error.
    const pair = Buffer.from(`${rig.sim.credentials.email}:wrong`).toString('base64');
    const text = JSON.stringify({ message: (error as Error).message, details: (error as SourceError).details });
    expect([text.includes('wrong'), text.includes(pair)]).toEqual([false, false]);
  });

  it('a blank body refused with 422 is WriteRefused on the body field', async () => {
    rig = await startRig();
    const c = openConversation(rig.sim);
    const error = await failure(rig.writer.reply(replyRequest(c.slug, { body: ' ' }), rig.actor, {}));
    expect(error).toBeInstanceOf(WriteRefused);
    expect(error).toMatchObject({ reason: 'REJECTED', field: 'body' });
  });

  it('an unknown conversation is UpstreamNotFound, for reply and for findReply', async () => {
    rig = await startRig();
    expect(await failure(rig.writer.reply(replyRequest('no-such-slug'), rig.actor, {}))).toBeInstanceOf(UpstreamNotFound);
    expect(await failure(rig.writer.findReply(replyRequest('no-such-slug'), rig.actor, {}))).toBeInstanceOf(UpstreamNotFound);
  });
});

describe('Re:amaze writer: uncertain replies and read-back', () => {
  it.each(['error', 'reset'] as const)('a %s after commit is maybeApplied, the simulator holds one message, and findReply finds it', async (kind) => {
    rig = await startRig({ faults: [{ kind, status: 502, count: 1, method: 'POST', afterCommit: true }] });
    const c = openConversation(rig.sim);
    const index = c.messages.length;
    const request = replyRequest(c.slug);
    const error = await failure(rig.writer.reply(request, rig.actor, {}));
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).details.maybeApplied).toBe(true);
    // Sent once: the HTTP layer does not retry a write.
    expect(calls(rig.sim)).toEqual([`POST ${messagesPath(c.slug)}`]);
    expect(c.messages.filter((m) => m.originId === request.marker)).toHaveLength(1);

    rig.clock.advance(MINUTE);
    const found = await rig.writer.findReply(request, rig.actor, {});
    expect(found).toMatchObject({ nativeId: `${c.slug}#${index}`, body: request.body, kind: 'ADMIN_REPLY' });
    expect(c.messages.filter((m) => m.originId === request.marker)).toHaveLength(1);
  });

  it('a reset before the provider stored anything: maybeApplied, and findReply returns null', async () => {
    rig = await startRig({ faults: [{ kind: 'reset', count: 1, method: 'POST' }] });
    const c = openConversation(rig.sim);
    const count = c.messages.length;
    const error = await failure(rig.writer.reply(replyRequest(c.slug), rig.actor, {}));
    expect((error as SourceError).details.maybeApplied).toBe(true);
    expect(c.messages).toHaveLength(count);
    expect(await rig.writer.findReply(replyRequest(c.slug), rig.actor, {})).toBeNull();
  });

  it('findReply does not take an identical older message without the marker, nor one with another marker', async () => {
    rig = await startRig();
    const c = openConversation(rig.sim);
    await rig.writer.reply(replyRequest(c.slug, { marker: 'pz-old' }), rig.actor, {});
    rig.sim.addReply(c.slug, { from: 'staff', staffEmail: rig.sim.credentials.email, body: 'Your refund went out today.' });
    rig.clock.advance(MINUTE);
    expect(await rig.writer.findReply(replyRequest(c.slug, { marker: 'pz-new', firstAttemptAt: rig.clock.now() }), rig.actor, {})).toBeNull();
  });

  it('findReply finds a reply on the last page of a long thread', async () => {
    rig = await startRig();
    const c = openConversation(rig.sim);
    for (let i = 0; i < 35; i++) rig.sim.addReply(c.slug, { from: 'customer', body: `ping ${i}` });
    rig.clock.advance(MINUTE);
    const request = replyRequest(c.slug, { firstAttemptAt: rig.clock.now() });
    await rig.writer.reply(request, rig.actor, {});
    const index = c.messages.length - 1;
    expect((await rig.writer.findReply(request, rig.actor, {}))?.nativeId).toBe(`${c.slug}#${index}`);
  });

  it('findReply names the part by its oldest-first place when messages are served newest first', async () => {
    rig = await startRig({ readings: { messageOrder: 'newest-first' } });
    const c = openConversation(rig.sim);
    for (let i = 0; i < 35; i++) {
      rig.clock.advance(1000);
      rig.sim.addReply(c.slug, { from: 'customer', body: `ping ${i}` });
    }
    rig.clock.advance(1000);
    const request = replyRequest(c.slug, { firstAttemptAt: rig.clock.now() });
    const result = await rig.writer.reply(request, rig.actor, {});
    expect(result.part?.nativeId).toBe(`${c.slug}#${c.messages.length - 1}`);
    expect((await rig.writer.findReply(request, rig.actor, {}))?.nativeId).toBe(`${c.slug}#${c.messages.length - 1}`);
  });

  describe.each(['reject', 'duplicate', 'return-existing'] as const)('under the originIdRepeat reading %s', (reading) => {
    it('findReply resolves an uncertain reply to the one stored message', async () => {
      rig = await startRig({ readings: { originIdRepeat: reading }, faults: [{ kind: 'error', status: 503, count: 1, method: 'POST', afterCommit: true }] });
      const c = openConversation(rig.sim);
      const request = replyRequest(c.slug);
      await failure(rig.writer.reply(request, rig.actor, {}));
      expect(await rig.writer.findReply(request, rig.actor, {})).toMatchObject({ body: request.body, nativeId: `${c.slug}#${c.messages.length - 1}` });
      expect(c.messages.filter((m) => m.originId === request.marker)).toHaveLength(1);
    });

    if (reading !== 'duplicate') {
      it('a reply sent again with the same marker reports the first message as already there', async () => {
        rig = await startRig({ readings: { originIdRepeat: reading } });
        const c = openConversation(rig.sim);
        const request = replyRequest(c.slug);
        const first = await rig.writer.reply(request, rig.actor, {});
        rig.clock.advance(10 * MINUTE);
        const again = await rig.writer.reply(request, rig.actor, {});
        expect(again.changed).toBe(false);
        expect(again.part?.nativeId).toBe(first.part?.nativeId);
        expect(c.messages.filter((m) => m.originId === request.marker)).toHaveLength(1);
      });
    }
  });
});

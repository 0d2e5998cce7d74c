import { afterEach, describe, expect, it } from 'vitest';
import { SourceError, UpstreamNotFound } from '../../../src/http/errors.js';
import { WriteRefused } from '../../../src/providers/write-contract.js';
import type { CarrotquestSimulatorOptions } from '../../../src/sandbox/carrotquest/index.js';
import { formOf, NOW, openConversation, replyRequest, startRig, type Rig } from './writes-rig.js';

let rigs: Rig[] = [];
async function rig(options: CarrotquestSimulatorOptions = {}, token?: Parameters<typeof startRig>[1]): Promise<Rig> {
  const r = await startRig(options, token);
  rigs.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(rigs.map((r) => r.close()));
  rigs = [];
});

const writesOf = (r: Rig) => r.sent.filter((s) => s.method !== 'GET');

describe('reply', () => {
  it('sends one form POST naming the admin and both markers, and returns the new part and the conversation after it', async () => {
    const r = await rig();
    const c = openConversation(r.sim);
    const before = c.parts.length;
    r.clock.now = NOW + 30_000;
    const request = replyRequest(c.id, { firstAttemptAt: NOW + 30_000 });
    const result = await r.writer.reply(request, r.actor, {});

    expect(r.sent.map((s) => [s.method, s.path.split('?')[0]])).toEqual([
      ['POST', `/conversations/${c.id}/reply`],
      ['GET', `/conversations/${c.id}`],
    ]);
    expect(r.sent[0]!.path).toContain('id_as_string=true');
    expect(formOf(r.sent[0]!.body)).toEqual({
      body: request.body,
      from_admin: r.actor.adminId,
      type: 'reply_admin',
      external_id: request.marker,
      random_id: String(request.markerNumber),
    });

    expect(c.parts.length).toBe(before + 1);
    const stored = c.parts.at(-1)!;
    expect(stored).toMatchObject({ type: 'reply_admin', body: request.body, externalId: request.marker, randomId: request.markerNumber, from: { kind: 'admin', id: r.actor.adminId } });
    expect(result.changed).toBe(true);
    expect(result.part).toMatchObject({ nativeId: stored.id, kind: 'ADMIN_REPLY', body: request.body, internal: false, author: { kind: 'ADMIN', id: r.actor.adminId } });
    expect(result.detail?.conversation).toMatchObject({ nativeId: c.id, lastReplyFrom: 'ADMIN', answered: true, lastUpdateMicros: stored.atMicros });
  });

  it('sends a note as type=note and maps it as an internal NOTE', async () => {
    const r = await rig();
    const c = openConversation(r.sim);
    const result = await r.writer.reply(replyRequest(c.id, { internal: true }), r.actor, {});
    expect(formOf(writesOf(r)[0]!.body).type).toBe('note');
    expect(c.parts.at(-1)!.type).toBe('note');
    expect(result.part).toMatchObject({ kind: 'NOTE', internal: true });
  });

  it('answers ReplyTooBig with WriteRefused REJECTED on `body`, after one call, with nothing stored', async () => {
    const r = await rig({ readings: { writes: { replyMaxChars: 5 } } });
    const c = openConversation(r.sim);
    const before = c.parts.length;
    const error = await r.writer.reply(replyRequest(c.id), r.actor, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteRefused);
    expect(error).toMatchObject({ reason: 'REJECTED', field: 'body' });
    expect(r.sent).toHaveLength(1);
    expect(c.parts.length).toBe(before);
  });

  it('refuses attachment URLs without a call (the provider takes uploads only)', async () => {
    const r = await rig();
    const error = await r.writer.reply(replyRequest(openConversation(r.sim).id, { attachmentUrls: ['https://x.test/a.png'] }), r.actor, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'REJECTED', field: 'attachmentUrls' });
    expect(r.sent).toHaveLength(0);
  });

  it('an unknown conversation is UpstreamNotFound; an id the provider cannot have costs no call', async () => {
    const r = await rig();
    await expect(r.writer.reply(replyRequest('1'), r.actor, {})).rejects.toBeInstanceOf(UpstreamNotFound);
    expect(r.sent).toHaveLength(1);
    await expect(r.writer.reply(replyRequest('abc'), r.actor, {})).rejects.toBeInstanceOf(UpstreamNotFound);
    expect(r.sent).toHaveLength(1);
  });
});

describe('uncertain replies and read-back', () => {
  it.each(['error', 'reset'] as const)('a %s after commit: maybeApplied, one POST only, one stored reply, and findReply finds it', async (kind) => {
    const r = await rig();
    const c = openConversation(r.sim);
    const before = c.parts.length;
    r.sim.addFault({ kind, status: 503, count: 1, method: 'POST', afterCommit: true });
    const request = replyRequest(c.id);
    const error = await r.writer.reply(request, r.actor, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).details.maybeApplied).toBe(true);
    expect(writesOf(r)).toHaveLength(1);
    expect(c.parts.length).toBe(before + 1);

    const found = await r.writer.findReply(request, r.actor, {});
    expect(found?.nativeId).toBe(c.parts.at(-1)!.id);
    expect(writesOf(r)).toHaveLength(1);
  });

  it('a reset before commit: maybeApplied, nothing stored, and findReply returns null', async () => {
    const r = await rig();
    const c = openConversation(r.sim);
    const before = c.parts.length;
    r.sim.addFault({ kind: 'reset', count: 1, method: 'POST' });
    const request = replyRequest(c.id);
    const error = (await r.writer.reply(request, r.actor, {}).catch((e: unknown) => e)) as SourceError;
    expect(error.details.maybeApplied).toBe(true);
    expect(c.parts.length).toBe(before);
    expect(await r.writer.findReply(request, r.actor, {})).toBeNull();
  });

  it.each([
    ['a 429', (r: Rig) => r.sim.addFault({ kind: 'rateLimit', retryAfter: 30, count: 1, method: 'POST' }), undefined],
    ['a 403 (a token of another app)', () => undefined, (sim: Rig['sim']) => sim.credentials.otherAppToken],
  ])('%s: maybeApplied false and nothing stored', async (_name, arrange, token) => {
    const r = await rig({}, token);
    const c = openConversation(r.sim);
    const before = c.parts.length;
    arrange(r);
    const error = (await r.writer.reply(replyRequest(c.id), r.actor, {}).catch((e: unknown) => e)) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.details.maybeApplied).toBe(false);
    expect(writesOf(r)).toHaveLength(1);
    expect(c.parts.length).toBe(before);
  });

  it('matches by external_id: a reply with the same body and time but another marker is not taken', async () => {
    const r = await rig();
    const c = openConversation(r.sim);
    const other = replyRequest(c.id, { body: 'Same words' });
    await r.writer.reply(other, r.actor, {});
    const ours = replyRequest(c.id, { body: 'Same words' });
    expect(await r.writer.findReply(ours, r.actor, {})).toBeNull();
    expect((await r.writer.findReply(other, r.actor, {}))?.nativeId).toBe(c.parts.at(-1)!.id);
  });

  it('finds the reply behind more than one page of newer parts', async () => {
    const r = await rig();
    const c = openConversation(r.sim);
    const request = replyRequest(c.id);
    await r.writer.reply(request, r.actor, {});
    const ours = c.parts.at(-1)!.id;
    for (let i = 0; i < 60; i++) r.sim.addReply(c.id, { from: 'user', body: `follow-up ${i}` });
    r.sent.length = 0;
    expect((await r.writer.findReply(request, r.actor, {}))?.nativeId).toBe(ours);
    expect(r.sent.filter((s) => s.path.includes('/parts'))).toHaveLength(2);
  });

  it('without external_id on parts, matches by random_id', async () => {
    const r = await rig({ readings: { writes: { externalIdReturned: false, randomIdReturned: true } } });
    const c = openConversation(r.sim);
    const request = replyRequest(c.id, { body: 'Same words' });
    await r.writer.reply(request, r.actor, {});
    const ours = c.parts.at(-1)!.id;
    r.sim.addReply(c.id, { from: 'admin', adminId: r.actor.adminId, body: 'Same words' });
    expect((await r.writer.findReply(request, r.actor, {}))?.nativeId).toBe(ours);
    expect(await r.writer.findReply({ ...request, markerNumber: request.markerNumber + 1 }, r.actor, {})).toBeNull();
  });

  it('without any marker on parts, matches author, type, body and time, never an older identical message', async () => {
    const r = await rig({ readings: { writes: { externalIdReturned: false, randomIdReturned: false } } });
    const c = openConversation(r.sim);
    const old = replyRequest(c.id, { body: 'Same words' });
    await r.writer.reply(old, r.actor, {});
    const oldId = c.parts.at(-1)!.id;
    r.clock.now = NOW + 60_000;
    const request = replyRequest(c.id, { body: 'Same words', firstAttemptAt: NOW + 60_000 });
    expect(await r.writer.findReply(request, r.actor, {})).toBeNull();

    await r.writer.reply(request, r.actor, {});
    const found = await r.writer.findReply(request, r.actor, {});
    expect(found?.nativeId).toBe(c.parts.at(-1)!.id);
    expect(found?.nativeId).not.toBe(oldId);
    expect(await r.writer.findReply({ ...request, internal: true }, r.actor, {})).toBeNull();
    expect(await r.writer.findReply(request, { adminId: 'default_admin' }, {})).toBeNull();
  });

  it('findReply on an unknown conversation is UpstreamNotFound', async () => {
    const r = await rig();
    await expect(r.writer.findReply(replyRequest('1'), r.actor, {})).rejects.toBeInstanceOf(UpstreamNotFound);
  });
});

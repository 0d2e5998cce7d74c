import { afterEach, describe, expect, it } from 'vitest';
import { call } from './helpers.js';
import { conversationWhere, expectError, firstListed, lastPart, oldest, post, shown, startWriteRig, WRITE_AT, type WriteRig } from './writes-setup.js';

/**
 * `POST /conversations/{id}/reply` as docs/providers/intercom.md section 10 describes it: one
 * part per request (no idempotency key), authored by `admin_id`, `updated_at` moved, the
 * conversation answered as GET shows it; and the readings `replyBody`, `adminReplyReopens`,
 * `unknownAdmin`.
 */

let rig: WriteRig;
afterEach(() => rig.sim.close());

const reply = (id: string, body: Record<string, unknown>) => post(rig.sim, `/conversations/${id}/reply`, body);
const comment = (adminId: string, body = 'Thanks, looking into it') => ({ message_type: 'comment', type: 'admin', admin_id: adminId, body });

describe('Intercom simulator: admin reply', () => {
  it('adds one comment part by the admin, moves updated_at and answers the conversation as GET shows it', async () => {
    rig = await startWriteRig();
    const target = oldest(rig.sim);
    const partsBefore = target.parts.length;
    const answer = await reply(target.id, comment(rig.adminId));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ type: 'conversation', id: target.id, updated_at: WRITE_AT });
    expect(lastPart(answer.body)).toMatchObject({
      type: 'conversation_part',
      part_type: 'comment',
      body: '<p>Thanks, looking into it</p>',
      created_at: WRITE_AT,
      author: { type: 'admin', id: rig.adminId },
    });
    expect(answer.body).toEqual(await shown(rig.sim, target.id));
    expect(target.parts).toHaveLength(partsBefore + 1);
    expect(target.parts.at(-1)).toMatchObject({ part_type: 'comment', author: { type: 'admin', id: rig.adminId } });
  });

  it('a note is a note part and does not change the state', async () => {
    rig = await startWriteRig();
    const closed = conversationWhere(rig.sim, (c) => c.state === 'closed');
    const answer = await reply(closed.id, { ...comment(rig.adminId, 'internal only'), message_type: 'note' });
    expect(lastPart(answer.body)).toMatchObject({ part_type: 'note', body: '<p>internal only</p>' });
    expect(answer.body.state).toBe('closed');
  });

  it('a repeated request adds a second part: there is no idempotency key', async () => {
    rig = await startWriteRig();
    const target = oldest(rig.sim);
    await reply(target.id, comment(rig.adminId, 'same text'));
    const second = await reply(target.id, comment(rig.adminId, 'same text'));
    const mine = second.body.conversation_parts.conversation_parts.filter((p: any) => p.body === '<p>same text</p>');
    expect(mine).toHaveLength(2);
    expect(mine[0].id).not.toBe(mine[1].id);
  });

  it('moves the conversation to the top of the list', async () => {
    rig = await startWriteRig();
    const target = oldest(rig.sim);
    expect(await firstListed(rig.sim)).not.toBe(target.id);
    await reply(target.id, comment(rig.adminId));
    expect(await firstListed(rig.sim)).toBe(target.id);
  });

  it('announces conversation.admin.replied and conversation.admin.noted with the new part', async () => {
    rig = await startWriteRig();
    const target = oldest(rig.sim);
    await reply(target.id, comment(rig.adminId));
    await reply(target.id, { ...comment(rig.adminId), message_type: 'note' });
    expect(rig.changes.map((c) => [c.topic, c.conversation.id, c.part?.part_type])).toEqual([
      ['conversation.admin.replied', target.id, 'comment'],
      ['conversation.admin.noted', target.id, 'note'],
    ]);
  });

  it('shows attachment_urls as attachments of the part', async () => {
    rig = await startWriteRig();
    const target = oldest(rig.sim);
    const answer = await reply(target.id, { ...comment(rig.adminId), attachment_urls: ['https://files.example.com/a/invoice.pdf'] });
    expect(lastPart(answer.body).attachments).toEqual([
      expect.objectContaining({ type: 'upload', name: 'invoice.pdf', url: 'https://files.example.com/a/invoice.pdf', content_type: 'application/pdf' }),
    ]);
  });
});

describe('reading replyBody', () => {
  const text = 'Line one & <b>two</b>\nLine three';

  it('paragraphs (default): each line in <p>, HTML characters escaped', async () => {
    rig = await startWriteRig();
    const answer = await reply(oldest(rig.sim).id, comment(rig.adminId, text));
    expect(lastPart(answer.body).body).toBe('<p>Line one &amp; &lt;b&gt;two&lt;/b&gt;</p><p>Line three</p>');
  });

  it('as-sent: the body exactly as sent', async () => {
    rig = await startWriteRig({ replyBody: 'as-sent' });
    const answer = await reply(oldest(rig.sim).id, comment(rig.adminId, text));
    expect(lastPart(answer.body).body).toBe(text);
  });
});

describe('reading adminReplyReopens', () => {
  it('false (default): a comment leaves a closed conversation closed', async () => {
    rig = await startWriteRig();
    const closed = conversationWhere(rig.sim, (c) => c.state === 'closed');
    expect((await reply(closed.id, comment(rig.adminId))).body).toMatchObject({ state: 'closed', open: false });
  });

  it('true: a comment reopens a snoozed conversation; a note still does not', async () => {
    rig = await startWriteRig({ adminReplyReopens: true });
    const [first, second] = rig.sim.store.conversations.filter((c) => c.state === 'snoozed');
    const reopened = await reply(first!.id, comment(rig.adminId));
    expect(reopened.body).toMatchObject({ state: 'open', open: true, snoozed_until: null });
    const noted = await reply(second!.id, { ...comment(rig.adminId), message_type: 'note' });
    expect(noted.body.state).toBe('snoozed');
  });
});

describe('reply errors', () => {
  it('an unknown conversation is 404 not_found', async () => {
    rig = await startWriteRig();
    expectError(await reply('999999999', comment(rig.adminId)), 404, 'not_found');
  });

  it('unknownAdmin not_found (default): 404, and nothing is written', async () => {
    rig = await startWriteRig();
    const target = oldest(rig.sim);
    const before = target.parts.length;
    expectError(await reply(target.id, comment('1')), 404, 'not_found');
    expect(target.parts).toHaveLength(before);
    expect(rig.changes).toEqual([]);
  });

  it('unknownAdmin parameter_invalid: 400', async () => {
    rig = await startWriteRig({ unknownAdmin: 'parameter_invalid' });
    expectError(await reply(oldest(rig.sim).id, comment('1')), 400, 'parameter_invalid');
  });

  it('unknownAdmin admin_not_found: 404 admin_not_found', async () => {
    rig = await startWriteRig({ unknownAdmin: 'admin_not_found' });
    expectError(await reply(oldest(rig.sim).id, comment('1')), 404, 'admin_not_found');
  });

  it.each([
    ['message_type', 'parameter_not_found'],
    ['admin_id', 'parameter_not_found'],
    ['body', 'parameter_not_found'],
    ['type', 'parameter_not_found'],
  ])('without %s: 400 %s', async (field, code) => {
    rig = await startWriteRig();
    const body: Record<string, unknown> = comment(rig.adminId);
    delete body[field];
    expectError(await reply(oldest(rig.sim).id, body), 400, code);
  });

  it.each([
    ['a message_type outside comment and note', { message_type: 'chat' }],
    ['type user', { type: 'user' }],
    ['a blank body', { body: '  ' }],
    ['eleven attachment URLs', { attachment_urls: Array.from({ length: 11 }, (_, i) => `https://example.com/${i}.png`) }],
    ['an http attachment URL', { attachment_urls: ['http://example.com/a.png'] }],
  ])('%s: 400 parameter_invalid', async (_name, change) => {
    rig = await startWriteRig();
    expectError(await reply(oldest(rig.sim).id, { ...comment(rig.adminId), ...change }), 400, 'parameter_invalid');
  });

  it('a bad token: 401 unauthorized, nothing written; another workspace: 404', async () => {
    rig = await startWriteRig();
    const target = oldest(rig.sim);
    const before = target.parts.length;
    const path = `/conversations/${target.id}/reply`;
    expectError(await call(rig.sim, 'POST', path, comment(rig.adminId), { authorization: 'Bearer nope' }), 401, 'unauthorized');
    expectError(await call(rig.sim, 'POST', path, comment(rig.adminId), { authorization: `Bearer ${rig.sim.credentials.otherWorkspaceToken}` }), 404, 'not_found');
    expect(target.parts).toHaveLength(before);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { call } from './helpers.js';
import { conversationWhere, expectError, firstListed, oldest, post, shown, startWriteRig, WRITE_AT, type WriteRig } from './writes-setup.js';

/**
 * Tags and mark-read as docs/providers/intercom.md section 10 describes them: attach by tag id
 * (the tag answered), detach with `admin_id` in a DELETE body, `POST /tags` finding or creating
 * by name, `PUT /conversations/{id}` with `read`; and the readings `untagAbsent`,
 * `tagsBumpUpdatedAt`, `readBumpsUpdatedAt`.
 */

let rig: WriteRig;
afterEach(() => rig.sim.close());

const BILLING = { id: '7522900', name: 'billing' };
const attach = (id: string, tagId: string, adminId = rig.adminId) => post(rig.sim, `/conversations/${id}/tags`, { id: tagId, admin_id: adminId });
const detach = (id: string, tagId: string, adminId = rig.adminId) => call(rig.sim, 'DELETE', `/conversations/${id}/tags/${tagId}`, { admin_id: adminId });
const untagged = () => conversationWhere(rig.sim, (c) => c.tagIds.length === 0 && c.updated_at < WRITE_AT);
const tagNames = async (id: string) => (await shown(rig.sim, id)).tags.tags.map((t: any) => t.name);

describe('Intercom simulator: attach and detach tags', () => {
  it('attach answers the tag (applied by the admin, now) and the conversation shows it', async () => {
    rig = await startWriteRig();
    const target = untagged();
    const answer = await attach(target.id, BILLING.id);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ type: 'tag', ...BILLING, applied_at: WRITE_AT, applied_by: { type: 'admin', id: rig.adminId } });
    expect(target.tagIds).toEqual([BILLING.id]);
    expect(await tagNames(target.id)).toEqual(['billing']);
    expect(rig.changes.map((c) => [c.topic, c.conversation.id])).toEqual([['conversation_part.tag.created', target.id]]);
  });

  it('attaching a tag already there answers 200 and changes nothing', async () => {
    rig = await startWriteRig();
    const target = untagged();
    await attach(target.id, BILLING.id);
    const again = await attach(target.id, BILLING.id);
    expect(again.status).toBe(200);
    expect(target.tagIds).toEqual([BILLING.id]);
    expect(rig.changes).toHaveLength(1);
  });

  it('detach answers the tag and removes it, announced with no topic', async () => {
    rig = await startWriteRig();
    const target = untagged();
    await attach(target.id, BILLING.id);
    const answer = await detach(target.id, BILLING.id);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ type: 'tag', ...BILLING });
    expect(await tagNames(target.id)).toEqual([]);
    expect(rig.changes.map((c) => c.topic)).toEqual(['conversation_part.tag.created', null]);
  });

  it('an unknown tag id on attach is 404 not_found; an unknown conversation 404 not_found', async () => {
    rig = await startWriteRig();
    expectError(await attach(untagged().id, '1'), 404, 'not_found');
    expectError(await attach('999999999', BILLING.id), 404, 'not_found');
  });

  it('attach without id or admin_id is 400 parameter_not_found; detach without admin_id too', async () => {
    rig = await startWriteRig();
    const target = untagged();
    expectError(await post(rig.sim, `/conversations/${target.id}/tags`, { admin_id: rig.adminId }), 400, 'parameter_not_found');
    expectError(await post(rig.sim, `/conversations/${target.id}/tags`, { id: BILLING.id }), 400, 'parameter_not_found');
    expectError(await call(rig.sim, 'DELETE', `/conversations/${target.id}/tags/${BILLING.id}`), 400, 'parameter_not_found');
  });

  it('an unknown admin follows unknownAdmin on tags too', async () => {
    rig = await startWriteRig();
    expectError(await attach(untagged().id, BILLING.id, '1'), 404, 'not_found');
    await rig.sim.close();
    rig = await startWriteRig({ unknownAdmin: 'parameter_invalid' });
    expectError(await attach(untagged().id, BILLING.id, '1'), 400, 'parameter_invalid');
  });
});

describe('reading untagAbsent', () => {
  it('tag_not_found (default): detaching a tag the conversation lacks is 404 tag_not_found', async () => {
    rig = await startWriteRig();
    expectError(await detach(untagged().id, BILLING.id), 404, 'tag_not_found');
  });

  it('ok: it answers 200 with the tag and changes nothing', async () => {
    rig = await startWriteRig({ untagAbsent: 'ok' });
    const target = untagged();
    const before = target.updated_at;
    const answer = await detach(target.id, BILLING.id);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject(BILLING);
    expect(target.updated_at).toBe(before);
    expect(rig.changes).toEqual([]);
  });

  it('a tag id the workspace does not have is 404 tag_not_found under either reading', async () => {
    rig = await startWriteRig({ untagAbsent: 'ok' });
    expectError(await detach(untagged().id, '1'), 404, 'tag_not_found');
  });
});

describe('reading tagsBumpUpdatedAt', () => {
  it('true (default): attach and detach move updated_at and the list order', async () => {
    rig = await startWriteRig();
    const target = oldest(rig.sim);
    const tag = rig.sim.store.tags.find((t) => !target.tagIds.includes(t.id))!;
    await attach(target.id, tag.id);
    expect(target.updated_at).toBe(WRITE_AT);
    expect(await firstListed(rig.sim)).toBe(target.id);
    target.updated_at = 1;
    await detach(target.id, tag.id);
    expect(target.updated_at).toBe(WRITE_AT);
  });

  it('false: neither moves updated_at', async () => {
    rig = await startWriteRig({ tagsBumpUpdatedAt: false });
    const target = oldest(rig.sim);
    const before = target.updated_at;
    const tag = rig.sim.store.tags.find((t) => !target.tagIds.includes(t.id))!;
    await attach(target.id, tag.id);
    await detach(target.id, tag.id);
    expect(target.updated_at).toBe(before);
    expect(await firstListed(rig.sim)).not.toBe(target.id);
  });
});

describe('Intercom simulator: tags by name', () => {
  it('POST /tags creates a tag that GET /tags then lists, and finds it again ignoring case', async () => {
    rig = await startWriteRig();
    const created = await post(rig.sim, '/tags', { name: 'Escalated' });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ type: 'tag', id: '7522910', name: 'Escalated' });
    const again = await post(rig.sim, '/tags', { name: 'escalated' });
    expect(again.body).toEqual(created.body);
    const listed = (await call(rig.sim, 'GET', '/tags')).body.data;
    expect(listed.filter((t: any) => t.name.toLowerCase() === 'escalated')).toEqual([created.body]);
    expect((await attach(untagged().id, created.body.id)).status).toBe(200);
  });

  it('POST /tags returns an existing tag by its name', async () => {
    rig = await startWriteRig();
    expect((await post(rig.sim, '/tags', { name: 'BILLING' })).body).toEqual({ type: 'tag', ...BILLING });
    expect(rig.sim.store.tags).toHaveLength(10);
  });

  it('POST /tags without a name is 400 parameter_invalid', async () => {
    rig = await startWriteRig();
    expectError(await post(rig.sim, '/tags', { test: 'invalid' }), 400, 'parameter_invalid');
  });
});

describe('Intercom simulator: mark read', () => {
  it('PUT {read: true} sets read and answers the conversation as GET shows it, announced with no topic', async () => {
    rig = await startWriteRig();
    const unread = conversationWhere(rig.sim, (c) => !c.read);
    const answer = await call(rig.sim, 'PUT', `/conversations/${unread.id}`, { read: true });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ type: 'conversation', id: unread.id, read: true });
    expect(answer.body).toEqual(await shown(rig.sim, unread.id));
    expect(unread.read).toBe(true);
    expect(rig.changes.map((c) => [c.topic, c.conversation.id])).toEqual([[null, unread.id]]);
  });

  it('marking a read conversation read again changes and announces nothing', async () => {
    rig = await startWriteRig({ readBumpsUpdatedAt: true });
    const read = conversationWhere(rig.sim, (c) => c.read);
    const before = read.updated_at;
    expect((await call(rig.sim, 'PUT', `/conversations/${read.id}`, { read: true })).status).toBe(200);
    expect(read.updated_at).toBe(before);
    expect(rig.changes).toEqual([]);
  });

  it('readBumpsUpdatedAt false (default): updated_at stays', async () => {
    rig = await startWriteRig();
    const unread = conversationWhere(rig.sim, (c) => !c.read);
    const before = unread.updated_at;
    expect((await call(rig.sim, 'PUT', `/conversations/${unread.id}`, { read: true })).body.updated_at).toBe(before);
  });

  it('readBumpsUpdatedAt true: updated_at moves and the conversation leads the list', async () => {
    rig = await startWriteRig({ readBumpsUpdatedAt: true });
    const unread = conversationWhere(rig.sim, (c) => !c.read);
    expect((await call(rig.sim, 'PUT', `/conversations/${unread.id}`, { read: true })).body.updated_at).toBe(WRITE_AT);
    expect(await firstListed(rig.sim)).toBe(unread.id);
  });

  it('read that is not a boolean is 400 parameter_invalid; an unknown conversation 404', async () => {
    rig = await startWriteRig();
    expectError(await call(rig.sim, 'PUT', `/conversations/${oldest(rig.sim).id}`, { read: 'yes' }), 400, 'parameter_invalid');
    expectError(await call(rig.sim, 'PUT', '/conversations/999999999', { read: true }), 404, 'not_found');
  });
});

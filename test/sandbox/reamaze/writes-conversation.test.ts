import { afterEach, describe, expect, it } from 'vitest';
import type { ReamazeSimulator } from '../../../src/sandbox/reamaze/index.js';
import { get, startSmall, type Clock } from './helpers.js';
import { putConversation, withStatus } from './write-helpers.js';

// Expectations from the API reference (put_conversations): the answer is the updated
// conversation, a refusal is 422 with a JSON body, status 5 needs hold_until, the
// assignee is named by email, and `tag_list` sets the tags (replacing them: inferred,
// with the 'merge' reading for the other plausible meaning).

let sim: (ReamazeSimulator & { clock: Clock }) | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const HOUR = 3_600_000;
const conversation = async (slug: string) => (await get(sim!, `/api/v1/conversations/${slug}`)).body;

describe('PUT /api/v1/conversations/{slug}', () => {
  it('sets the status, answers the updated conversation and moves updated_at', async () => {
    sim = await startSmall();
    const c = withStatus(sim, 0);
    const at = sim.clock.advance(HOUR);
    const answer = await putConversation(sim, c.slug, { status: 2 });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ slug: c.slug, status: 2 });
    expect(await conversation(c.slug)).toMatchObject({ status: 2, updated_at: answer.body.updated_at });
    expect(Date.parse(answer.body.updated_at)).toBe(at);
    const changed = (await get(sim, '/api/v1/conversations', { sort: 'changed' })).body.conversations[0];
    expect(changed.slug).toBe(c.slug);
  });

  it('setting the status it already has changes nothing, updated_at included', async () => {
    sim = await startSmall();
    const c = withStatus(sim, 2);
    const before = await conversation(c.slug);
    sim.clock.advance(HOUR);
    expect((await putConversation(sim, c.slug, { status: '2' })).status).toBe(200);
    expect((await conversation(c.slug)).updated_at).toBe(before.updated_at);
  });

  it('puts a conversation On Hold until hold_until, and refuses status 5 without it (422, nothing changed)', async () => {
    sim = await startSmall();
    const c = withStatus(sim, 0);
    const refused = await putConversation(sim, c.slug, { status: 5, tag_list: ['x'] });
    expect([refused.status, refused.body]).toEqual([422, { errors: { hold_until: ["can't be blank"] } }]);
    expect(await conversation(c.slug)).toMatchObject({ status: 0, hold_until: null });
    expect(c.tags).not.toContain('x');

    const until = '2026-02-01T09:30:00.000Z';
    expect((await putConversation(sim, c.slug, { status: 5, hold_until: until })).status).toBe(200);
    const held = await conversation(c.slug);
    expect([held.status, Date.parse(held.hold_until)]).toEqual([5, Date.parse(until)]);
    // Reopening clears the hold.
    await putConversation(sim, c.slug, { status: 0 });
    expect(await conversation(c.slug)).toMatchObject({ status: 0, hold_until: null });
  });

  it('refuses a status outside 0..9', async () => {
    sim = await startSmall();
    const c = withStatus(sim, 0);
    const refused = await putConversation(sim, c.slug, { status: 12 });
    expect([refused.status, refused.body]).toEqual([422, { errors: { status: ['is not included in the list'] } }]);
  });

  it('assigns the staff member named by email (any case); an unknown email is 422', async () => {
    sim = await startSmall();
    const c = withStatus(sim, 0);
    const staff = sim.store.staff.find((s) => !s.isBot && s !== c.assignee)!;
    const at = sim.clock.advance(HOUR);
    expect((await putConversation(sim, c.slug, { assignee: { email: staff.email.toUpperCase() } })).status).toBe(200);
    const after = await conversation(c.slug);
    expect([after.assignee.email, Date.parse(after.updated_at)]).toEqual([staff.email, at]);

    const refused = await putConversation(sim, c.slug, { assignee: { email: 'nobody@example.com' } });
    expect([refused.status, refused.body]).toEqual([422, { errors: { assignee: ['is invalid'] } }]);
    expect((await conversation(c.slug)).assignee.email).toBe(staff.email);
  });

  it('replaces the tag set with tag_list (trimmed, blanks and repeats dropped), and the tag filter sees it', async () => {
    sim = await startSmall();
    const c = withStatus(sim, 0);
    const at = sim.clock.advance(HOUR);
    const answer = await putConversation(sim, c.slug, { tag_list: [' vip ', 'billing', 'VIP', ''] });
    expect(answer.body.tag_list).toEqual(['vip', 'billing']);
    expect(Date.parse((await conversation(c.slug)).updated_at)).toBe(at);
    const tagged = (await get(sim, '/api/v1/conversations', { tag: 'vip', filter: 'all' })).body.conversations.map((x: any) => x.slug);
    expect(tagged).toContain(c.slug);
    await putConversation(sim, c.slug, { tag_list: [] });
    expect((await conversation(c.slug)).tag_list).toEqual([]);
  });

  it('splits a tag that holds a comma, as the tag list parser does', async () => {
    sim = await startSmall();
    const c = withStatus(sim, 0);
    expect((await putConversation(sim, c.slug, { tag_list: ['a,b'] })).body.tag_list).toEqual(['a', 'b']);
  });

  it('under the merge reading, tag_list only adds', async () => {
    sim = await startSmall({ readings: { tagListUpdate: 'merge' } });
    const c = withStatus(sim, 0);
    await putConversation(sim, c.slug, { tag_list: ['one'] });
    await putConversation(sim, c.slug, { tag_list: ['two'] });
    expect((await conversation(c.slug)).tag_list).toEqual(expect.arrayContaining(['one', 'two']));
  });

  it('answers 404 for an unknown slug, 422 without the conversation key', async () => {
    sim = await startSmall();
    const c = withStatus(sim, 0);
    expect((await putConversation(sim, 'no-such-slug', { status: 2 })).status).toBe(404);
    const bare = await fetch(`${sim.url}/api/v1/conversations/${c.slug}`, {
      method: 'PUT',
      headers: { authorization: `Basic ${Buffer.from(`${sim.credentials.email}:${sim.credentials.token}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 2 }),
    });
    expect(bare.status).toBe(422);
    expect(c.status).toBe(0);
  });

  it('a reset after commit applies the change and drops the answer', async () => {
    sim = await startSmall({ faults: [{ kind: 'reset', count: 1, method: 'PUT', afterCommit: true }] });
    const c = withStatus(sim, 0);
    await expect(putConversation(sim, c.slug, { status: 2 })).rejects.toThrow();
    expect(c.status).toBe(2);
    expect(sim.requests().at(-1)).toMatchObject({ method: 'PUT', status: 'reset', committed: 200 });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { ReamazeSimulator } from '../../../src/sandbox/reamaze/index.js';
import { basic, get, startSmall, type Clock } from './helpers.js';
import { postMessage, withStatus } from './write-helpers.js';

// Expectations from the API reference (post_messages): the message is attributed to the
// login, a staff message resolves the conversation unless `suppress_autoresolve`,
// `origin_id` is stored and shown; readings cover what the reference leaves open.

let sim: (ReamazeSimulator & { clock: Clock }) | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const HOUR = 3_600_000;

async function lastMessage(slug: string) {
  const first = await get(sim!, `/api/v1/conversations/${slug}/messages`);
  const last = first.body.page_count > 1 ? await get(sim!, `/api/v1/conversations/${slug}/messages`, { page: String(first.body.page_count) }) : first;
  return { message: last.body.messages.at(-1), total: first.body.total_count as number };
}

describe('POST /api/v1/conversations/{slug}/messages', () => {
  it('stores a staff reply by the login, shows it last with its origin_id, and resolves the conversation', async () => {
    sim = await startSmall();
    const c = withStatus(sim, 0);
    const before = (await get(sim, `/api/v1/conversations/${c.slug}`)).body;
    const at = sim.clock.advance(HOUR);

    const posted = await postMessage(sim, c.slug, { body: 'We shipped it **today**.', visibility: 0, origin_id: 'parley-1' });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ body: 'We shipped it **today**.', visibility: 0, origin_id: 'parley-1', user: { email: sim.credentials.email, 'staff?': true } });
    expect(Date.parse(posted.body.created_at)).toBe(at);
    expect(posted.body.conversation.slug).toBe(c.slug);

    const { message, total } = await lastMessage(c.slug);
    expect(message).toMatchObject({ body: 'We shipped it **today**.', origin_id: 'parley-1', visibility: 0 });
    expect(total).toBe(before.message_count + 1);
    const after = (await get(sim, `/api/v1/conversations/${c.slug}`)).body;
    expect(after.status).toBe(2);
    expect(Date.parse(after.updated_at)).toBe(at);
    expect(after.message_count).toBe(before.message_count + 1);
  });

  it('keeps the status with suppress_autoresolve, but still moves updated_at (sort=changed puts it first)', async () => {
    sim = await startSmall();
    const c = withStatus(sim, 0);
    const at = sim.clock.advance(HOUR);
    expect((await postMessage(sim, c.slug, { body: 'Looking into it', suppress_autoresolve: true })).status).toBe(201);
    const after = (await get(sim, `/api/v1/conversations/${c.slug}`)).body;
    expect([after.status, Date.parse(after.updated_at)]).toEqual([0, at]);
    const first = (await get(sim, '/api/v1/conversations', { sort: 'changed' })).body.conversations[0];
    expect(first.slug).toBe(c.slug);
  });

  it('reads suppress_autoresolve as Rails casts booleans ("true" and "1" suppress, "false" does not)', async () => {
    sim = await startSmall();
    const [a, b, d] = sim.store.conversations.filter((c) => c.status === 0);
    await postMessage(sim, a!.slug, { body: 'x', suppress_autoresolve: 'true' });
    await postMessage(sim, b!.slug, { body: 'x', suppress_autoresolve: '1' });
    await postMessage(sim, d!.slug, { body: 'x', suppress_autoresolve: 'false' });
    expect([a!.status, b!.status, d!.status]).toEqual([0, 0, 2]);
  });

  it('stores an internal note (visibility 1) without resolving by default; the noteAutoresolves reading resolves', async () => {
    sim = await startSmall();
    const [a, b] = sim.store.conversations.filter((c) => c.status === 0);
    expect((await postMessage(sim, a!.slug, { body: 'note', visibility: 1 })).body.visibility).toBe(1);
    expect(a!.status).toBe(0);
    sim.setReadings({ noteAutoresolves: true });
    await postMessage(sim, b!.slug, { body: 'note', visibility: 1 });
    expect(b!.status).toBe(2);
  });

  it('under the staffReplyStatus "responded" reading, a kept-open reply sets Responded (1)', async () => {
    sim = await startSmall({ readings: { staffReplyStatus: 'responded' } });
    const c = withStatus(sim, 0);
    await postMessage(sim, c.slug, { body: 'x', suppress_autoresolve: true });
    expect((await get(sim, `/api/v1/conversations/${c.slug}`)).body.status).toBe(1);
  });

  it('a reply to an On Hold conversation resolves it and clears hold_until', async () => {
    sim = await startSmall();
    const c = withStatus(sim, 5);
    await postMessage(sim, c.slug, { body: 'done' });
    const after = (await get(sim, `/api/v1/conversations/${c.slug}`)).body;
    expect([after.status, after.hold_until]).toEqual([2, null]);
  });

  it('attaches a file by URL', async () => {
    sim = await startSmall();
    const c = withStatus(sim, 0);
    await postMessage(sim, c.slug, { body: 'see file', attachment: 'https://files.example.com/a/report.pdf' });
    const { message } = await lastMessage(c.slug);
    expect(message.attachments).toEqual([expect.objectContaining({ url: 'https://files.example.com/a/report.pdf', file_file_name: 'report.pdf', file_content_type: 'application/pdf' })]);
  });

  describe('a repeated origin_id', () => {
    it.each([
      ['reject', 422, 1],
      ['duplicate', 201, 2],
      ['return-existing', 200, 1],
    ] as const)('under the %s reading answers %i and leaves %i message(s) with it', async (reading, status, count) => {
      sim = await startSmall({ readings: { originIdRepeat: reading } });
      const c = withStatus(sim, 0);
      const first = await postMessage(sim, c.slug, { body: 'once', origin_id: 'k-1', suppress_autoresolve: true });
      sim.clock.advance(1000);
      const again = await postMessage(sim, c.slug, { body: 'once', origin_id: 'k-1', suppress_autoresolve: true });
      expect(again.status).toBe(status);
      if (reading === 'reject') expect(again.body).toEqual({ errors: { origin_id: ['has already been taken'] } });
      if (reading === 'return-existing') expect(again.body.created_at).toBe(first.body.created_at);
      const all = await get(sim, `/api/v1/conversations/${c.slug}/messages`);
      expect(all.body.messages.filter((m: any) => m.origin_id === 'k-1')).toHaveLength(count);
    });

    it('is refused by default (reject)', async () => {
      sim = await startSmall();
      const c = withStatus(sim, 0);
      await postMessage(sim, c.slug, { body: 'once', origin_id: 'k-2' });
      expect((await postMessage(sim, c.slug, { body: 'once', origin_id: 'k-2' })).status).toBe(422);
    });
  });

  it('acts as the staff member who logged in: another staff login writes as that member', async () => {
    const probe = await startSmall();
    const other = probe.store.staff.find((s) => !s.isBot && s.email !== probe.credentials.email)!.email;
    await probe.close();
    sim = await startSmall({ staffTokens: { [other]: 'other-token' } });
    const c = withStatus(sim, 0);
    const posted = await postMessage(sim, c.slug, { body: 'hi' }, basic(other.toUpperCase(), 'other-token'));
    expect(posted.status).toBe(201);
    expect(posted.body.user.email).toBe(other);
    // A token works with its own email only.
    expect((await postMessage(sim, c.slug, { body: 'hi' }, basic(sim.credentials.email, 'other-token'))).status).toBe(403);
  });

  it.each([
    ['a blank body', { body: '  ' }, { errors: { body: ["can't be blank"] } }],
    ['visibility 2', { body: 'x', visibility: 2 }, { errors: { visibility: ['is not included in the list'] } }],
    ['an attachment that is no URL', { body: 'x', attachment: 'report.pdf' }, { errors: { attachment: ['is invalid'] } }],
  ])('refuses %s with 422 and stores nothing', async (_, message, errorBody) => {
    sim = await startSmall();
    const c = withStatus(sim, 0);
    const count = c.messages.length;
    const answer = await postMessage(sim, c.slug, message);
    expect([answer.status, answer.body]).toEqual([422, errorBody]);
    expect([c.messages.length, c.status]).toEqual([count, 0]);
  });

  it('answers 404 for an unknown slug and 403 for bad credentials, storing nothing', async () => {
    sim = await startSmall();
    const c = withStatus(sim, 0);
    const count = c.messages.length;
    expect((await postMessage(sim, 'no-such-slug', { body: 'x' })).status).toBe(404);
    expect((await postMessage(sim, c.slug, { body: 'x' }, basic(sim.credentials.email, 'wrong'))).status).toBe(403);
    expect(c.messages.length).toBe(count);
    expect(sim.writes()).toHaveLength(1);
  });

  it('a fault after commit stores the message and then fails the answer', async () => {
    sim = await startSmall({ faults: [{ kind: 'error', status: 502, count: 1, method: 'POST', afterCommit: true }] });
    const c = withStatus(sim, 0);
    const answer = await postMessage(sim, c.slug, { body: 'lost answer', origin_id: 'k-3' });
    expect(answer.status).toBe(502);
    expect(c.messages.filter((m) => m.originId === 'k-3')).toHaveLength(1);
    expect(sim.requests().at(-1)).toMatchObject({ method: 'POST', status: 502, committed: 201 });
  });
});

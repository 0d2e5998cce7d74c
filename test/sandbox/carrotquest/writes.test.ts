import { afterEach, describe, expect, it } from 'vitest';
import type { CarrotquestSimulator, CarrotquestSimulatorOptions, ConversationRecord } from '../../../src/sandbox/carrotquest/index.js';
import { errorEnvelope, get, NOW, startSmall } from './helpers.js';

/**
 * The write endpoints as the provider documents them (providers-live-and-write.md B.1/B.3):
 * form parameters, `{"data":{"id","part_group"},"meta":{"status":200}}`, a part per change,
 * empty `data` when nothing changed, named 400s for tags and long replies.
 */

let sims: CarrotquestSimulator[] = [];
let clock = NOW;
async function start(options: CarrotquestSimulatorOptions = {}): Promise<CarrotquestSimulator> {
  clock = NOW;
  const sim = await startSmall({ now: () => clock, ...options });
  sims.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(sims.map((sim) => sim.close()));
  sims = [];
});

/** One form-encoded write, `id_as_string=true` in the body like every other parameter. */
async function send(sim: CarrotquestSimulator, method: string, path: string, form: Record<string, string>, token = sim.credentials.token) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Token ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ id_as_string: 'true', ...form }).toString(),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) };
}

const humanAdmins = (sim: CarrotquestSimulator) => sim.store.admins.filter((a) => a.type === 'admin');
const openOne = (sim: CarrotquestSimulator): ConversationRecord => sim.store.conversations.find((c) => !c.closed && c.assistant_type === null && c.replied)!;
const newestParts = async (sim: CarrotquestSimulator, id: string) => (await get(sim, `/conversations/${id}/parts`)).body.data;

describe('reply and note', () => {
  it('adds an admin reply that the parts, the conversation and the list show, and answers with its id', async () => {
    const sim = await start();
    const c = openOne(sim);
    const admin = humanAdmins(sim)[1]!;
    clock = NOW + 60_000;
    const reply = await send(sim, 'POST', `/conversations/${c.id}/reply`, { body: 'Thanks, fixed.', from_admin: admin.id, type: 'reply_admin', external_id: 'pm-abc', random_id: '4000000000' });
    expect(reply.status).toBe(200);
    const [part] = await newestParts(sim, c.id);
    expect(reply.body).toEqual({ data: { id: part.id, part_group: expect.any(String) }, meta: { status: 200 } });
    expect(part).toMatchObject({ body: 'Thanks, fixed.', type: 'reply_admin', from: { id: admin.id, type: 'admin' }, external_id: 'pm-abc', created: (NOW + 60_000) / 1000 });
    const detail = (await get(sim, `/conversations/${c.id}`)).body.data;
    expect(detail).toMatchObject({ reply_last_type: 'reply_admin', part_last: { id: part.id } });
    expect(Math.floor(detail.last_update)).toBe((NOW + 60_000) / 1000);
    const head = (await get(sim, '/apps/$self_app/conversations', { paginate_count: 1 })).body.data[0];
    expect(head.id).toBe(c.id);
  });

  it('adds an internal note with type=note', async () => {
    const sim = await start();
    const c = openOne(sim);
    await send(sim, 'POST', `/conversations/${c.id}/reply`, { body: 'internal', from_admin: humanAdmins(sim)[0]!.id, type: 'note' });
    expect((await newestParts(sim, c.id))[0]).toMatchObject({ type: 'note', body: 'internal' });
  });

  it('answers 400 ReplyTooBig past the length limit and writes nothing', async () => {
    const sim = await start({ readings: { writes: { replyMaxChars: 10 } } });
    const c = openOne(sim);
    const parts = c.parts.length;
    const reply = await send(sim, 'POST', `/conversations/${c.id}/reply`, { body: 'x'.repeat(11), from_admin: humanAdmins(sim)[0]!.id });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual(errorEnvelope(400, 'ReplyTooBig', 'Text is too long.'));
    expect(c.parts.length).toBe(parts);
  });

  it('keeps 64-bit ids bare without id_as_string', async () => {
    const sim = await start();
    const c = openOne(sim);
    const response = await fetch(`${sim.url}/conversations/${c.id}/reply`, {
      method: 'POST',
      headers: { authorization: `Token ${sim.credentials.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ body: 'hi', from_admin: humanAdmins(sim)[0]!.id }).toString(),
    });
    expect(await response.text()).toMatch(/"data":\{"id":\d{19},"part_group":\d{19}\}/);
  });
});

describe('close', () => {
  it('closes with a `closed` part, and a second close changes nothing (empty data)', async () => {
    const sim = await start();
    const c = openOne(sim);
    const admin = humanAdmins(sim)[0]!;
    const first = await send(sim, 'POST', `/conversations/${c.id}/close`, { from_admin: admin.id });
    expect(first.body.data).toEqual({ id: expect.stringMatching(/^\d+$/), part_group: expect.any(String) });
    expect((await get(sim, `/conversations/${c.id}`)).body.data.closed).toBe(true);
    expect((await newestParts(sim, c.id))[0]).toMatchObject({ id: first.body.data.id, type: 'closed', from: { id: admin.id } });
    const parts = c.parts.length;
    const again = await send(sim, 'POST', `/conversations/${c.id}/close`, { from_admin: admin.id });
    expect(again.body).toEqual({ data: {}, meta: { status: 200 } });
    expect(c.parts.length).toBe(parts);
  });

  it('with the closes-again reading, a second close writes another part', async () => {
    const sim = await start({ readings: { writes: { closeWhenClosed: 'closes-again' } } });
    const c = openOne(sim);
    const admin = humanAdmins(sim)[0]!.id;
    await send(sim, 'POST', `/conversations/${c.id}/close`, { from_admin: admin });
    expect((await send(sim, 'POST', `/conversations/${c.id}/close`, { from_admin: admin })).body.data.id).toMatch(/^\d+$/);
  });

  it('needs from_admin', async () => {
    const sim = await start();
    const reply = await send(sim, 'POST', `/conversations/${openOne(sim).id}/close`, {});
    expect(reply.status).toBe(400);
    expect(reply.body.meta.error).toBe('BadRequest');
  });
});

describe('assign', () => {
  it('assigns, answers empty data for the same admin, and unassigns with an empty admin', async () => {
    const sim = await start();
    const c = openOne(sim);
    const [actor, target] = humanAdmins(sim).filter((a) => a.id !== c.assigneeId);
    const first = await send(sim, 'POST', `/conversations/${c.id}/assign`, { admin: target!.id, from_admin: actor!.id });
    expect(first.body.data.id).toMatch(/^\d+$/);
    expect((await get(sim, `/conversations/${c.id}`)).body.data.assignee).toMatchObject({ id: target!.id });
    expect((await newestParts(sim, c.id))[0]).toMatchObject({ type: 'assigned', assignee: { id: target!.id }, from: { id: actor!.id } });
    expect((await send(sim, 'POST', `/conversations/${c.id}/assign`, { admin: target!.id, from_admin: actor!.id })).body).toEqual({ data: {}, meta: { status: 200 } });
    await send(sim, 'POST', `/conversations/${c.id}/assign`, { admin: '', from_admin: actor!.id });
    expect((await get(sim, `/conversations/${c.id}`)).body.data.assignee).toBeNull();
    expect((await newestParts(sim, c.id))[0]).toMatchObject({ type: 'assigned', assignee: null });
  });

  it('refuses an admin the app does not have with 400', async () => {
    const sim = await start();
    const reply = await send(sim, 'POST', `/conversations/${openOne(sim).id}/assign`, { admin: '999999999', from_admin: humanAdmins(sim)[0]!.id });
    expect(reply.status).toBe(400);
  });
});

describe('tags', () => {
  it('adds with POST and removes with DELETE, each a part; repeats are named 400s', async () => {
    const sim = await start();
    const c = openOne(sim);
    const from_admin = humanAdmins(sim)[0]!.id;
    const added = await send(sim, 'POST', `/conversations/${c.id}/tag`, { tag: 'vip', from_admin });
    expect(added.status).toBe(200);
    expect((await get(sim, `/conversations/${c.id}`)).body.data.tags).toContain('vip');
    expect((await newestParts(sim, c.id))[0]).toMatchObject({ id: added.body.data.id, type: 'tag_added', tag: 'vip' });
    expect((await send(sim, 'POST', `/conversations/${c.id}/tag`, { tag: 'vip', from_admin })).body).toEqual(
      errorEnvelope(400, 'ConversationTagAlreadyAssigned', 'The conversation already has this tag.'),
    );
    const removed = await send(sim, 'DELETE', `/conversations/${c.id}/tag`, { tag: 'vip', from_admin });
    expect(removed.status).toBe(200);
    expect((await get(sim, `/conversations/${c.id}`)).body.data.tags).not.toContain('vip');
    expect((await newestParts(sim, c.id))[0]).toMatchObject({ type: 'tag_deleted', tag: 'vip' });
    expect((await send(sim, 'DELETE', `/conversations/${c.id}/tag`, { tag: 'vip', from_admin })).body).toEqual(
      errorEnvelope(400, 'ConversationTagIsNotAssigned', 'The conversation does not have this tag.'),
    );
  });

  it('takes tags of 1 to 255 characters only', async () => {
    const sim = await start();
    const c = openOne(sim);
    expect((await send(sim, 'POST', `/conversations/${c.id}/tag`, { tag: 'x'.repeat(256) })).status).toBe(400);
    expect((await send(sim, 'POST', `/conversations/${c.id}/tag`, { tag: '' })).status).toBe(400);
    expect((await send(sim, 'POST', `/conversations/${c.id}/tag`, { tag: 'x'.repeat(255) })).status).toBe(200);
  });

  it('v1 `action=add` answers 200 with empty data whether or not the tag was there', async () => {
    const sim = await start();
    const c = openOne(sim);
    for (let i = 0; i < 2; i++) expect((await send(sim, 'POST', `/v1/conversations/${c.id}/tag`, { tag: 'v1tag', action: 'add' })).body).toEqual({ data: {}, meta: { status: 200 } });
    expect(c.tags.filter((t) => t === 'v1tag')).toHaveLength(1);
  });
});

describe('auth, methods and unknown conversations', () => {
  it('401 without a token, 403 for another app, 404 for an unknown id, 405 for GET', async () => {
    const sim = await start();
    const c = openOne(sim);
    const anonymous = await fetch(`${sim.url}/conversations/${c.id}/close`, { method: 'POST', body: new URLSearchParams({ from_admin: 'default_admin' }) });
    expect(anonymous.status).toBe(401);
    expect((await send(sim, 'POST', `/conversations/${c.id}/close`, { from_admin: 'default_admin' }, sim.credentials.otherAppToken)).status).toBe(403);
    expect((await send(sim, 'POST', '/conversations/1/close', { from_admin: 'default_admin' })).status).toBe(404);
    expect((await get(sim, `/conversations/${c.id}/close`, { from_admin: 'default_admin' })).status).toBe(405);
    expect(c.closed).toBe(false);
  });
});

describe('faults after commit', () => {
  it.each(['error', 'reset'] as const)('a %s after commit keeps the one reply it wrote', async (kind) => {
    const sim = await start();
    const c = openOne(sim);
    const parts = c.parts.length;
    sim.addFault({ kind, status: 503, count: 1, method: 'POST', afterCommit: true, pathIncludes: '/reply' });
    const outcome = await send(sim, 'POST', `/conversations/${c.id}/reply`, { body: 'once', from_admin: humanAdmins(sim)[0]!.id, external_id: 'pm-once' }).catch(() => 'reset');
    if (kind === 'error') expect(outcome).toMatchObject({ status: 503 });
    else expect(outcome).toBe('reset');
    expect(c.parts.length).toBe(parts + 1);
    expect((await newestParts(sim, c.id))[0]).toMatchObject({ body: 'once', external_id: 'pm-once' });
  });

  it('a reset before commit writes nothing', async () => {
    const sim = await start();
    const c = openOne(sim);
    const parts = c.parts.length;
    sim.addFault({ kind: 'reset', count: 1, method: 'POST' });
    await expect(send(sim, 'POST', `/conversations/${c.id}/reply`, { body: 'lost', from_admin: humanAdmins(sim)[0]!.id })).rejects.toThrow();
    expect(c.parts.length).toBe(parts);
  });
});

describe('readings', () => {
  it('externalIdReturned false: parts carry no external_id; randomIdReturned true: they carry random_id', async () => {
    const sim = await start({ readings: { writes: { externalIdReturned: false, randomIdReturned: true } } });
    const c = openOne(sim);
    await send(sim, 'POST', `/conversations/${c.id}/reply`, { body: 'm', from_admin: humanAdmins(sim)[0]!.id, external_id: 'pm-x', random_id: '77' });
    const [part, older] = await newestParts(sim, c.id);
    expect(part).not.toHaveProperty('external_id');
    expect(part.random_id).toBe(77);
    expect(older.random_id).toBe(0);
  });

  it('by default, parts carry external_id (null when none) and no random_id', async () => {
    const sim = await start();
    const c = openOne(sim);
    await send(sim, 'POST', `/conversations/${c.id}/reply`, { body: 'm', from_admin: humanAdmins(sim)[0]!.id, random_id: '77' });
    const [part] = await newestParts(sim, c.id);
    expect(part.external_id).toBeNull();
    expect(part).not.toHaveProperty('random_id');
  });

  it('a tag moves last_update under every-part, not under replies', async () => {
    for (const lastUpdateMovesOn of ['every-part', 'replies'] as const) {
      const sim = await start({ readings: { writes: { lastUpdateMovesOn } } });
      const c = openOne(sim);
      const before = c.last_update;
      clock = NOW + 90_000;
      await send(sim, 'POST', `/conversations/${c.id}/tag`, { tag: 'moved' });
      const after = (await get(sim, `/conversations/${c.id}`)).body.data.last_update;
      if (lastUpdateMovesOn === 'replies') expect(after).toBe(before);
      else expect(Math.floor(after)).toBe((NOW + 90_000) / 1000);
    }
  });

  it('userReplyReopens decides whether a customer reply reopens a closed conversation', async () => {
    for (const userReplyReopens of [true, false]) {
      const sim = await start({ readings: { writes: { userReplyReopens } } });
      const c = openOne(sim);
      await send(sim, 'POST', `/conversations/${c.id}/close`, { from_admin: 'default_admin' });
      sim.addReply(c.id, { from: 'user', body: 'one more thing' });
      expect((await get(sim, `/conversations/${c.id}`)).body.data.closed).toBe(!userReplyReopens);
    }
  });
});

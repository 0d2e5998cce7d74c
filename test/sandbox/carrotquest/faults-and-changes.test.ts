import { afterEach, describe, expect, it } from 'vitest';
import type { CarrotquestSimulator } from '../../../src/sandbox/carrotquest/index.js';
import { errorEnvelope, expectedIds, get, inInbox, NOW, startSmall, walkV2 } from './helpers.js';

const LIST = '/apps/$self_app/conversations';
let sims: CarrotquestSimulator[] = [];
async function start(...args: Parameters<typeof startSmall>): Promise<CarrotquestSimulator> {
  const sim = await startSmall(...args);
  sims.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(sims.map((sim) => sim.close()));
  sims = [];
});

const control = (sim: CarrotquestSimulator, path: string, body?: unknown) =>
  fetch(`${sim.url}/__sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('faults', () => {
  it.each([
    [500, 'InternalServerError'],
    [502, 'BadGateway'],
    [503, 'ServiceUnavailable'],
  ])('injects a %i with the error envelope, then recovers', async (status, error) => {
    const sim = await start();
    sim.addFault({ kind: 'error', status, count: 1 });
    const failed = await get(sim, LIST);
    expect(failed.status).toBe(status);
    expect(failed.body).toEqual(errorEnvelope(status, error, 'A server error occurred.'));
    expect((await get(sim, LIST)).status).toBe(200);
  });

  it('injects 429 Throttled with Retry-After', async () => {
    const sim = await start({ faults: [{ kind: 'rateLimit', retryAfter: 7, count: 1 }] });
    const reply = await get(sim, LIST);
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('7');
    expect(reply.body).toEqual(errorEnvelope(429, 'Throttled', 'Request was throttled. Expected available in 7 seconds.'));
  });

  it('injects a malformed body that JSON.parse rejects', async () => {
    const sim = await start();
    sim.addFault({ kind: 'malformed', count: 1 });
    const reply = await get(sim, LIST);
    expect(reply.status).toBe(200);
    expect(() => JSON.parse(reply.text)).toThrow();
  });

  it('hangs until the client gives up', async () => {
    const sim = await start();
    sim.addFault({ kind: 'hang', count: 1 });
    const started = Date.now();
    await expect(get(sim, LIST, {}, 'token', { signal: AbortSignal.timeout(300) })).rejects.toThrow(/abort|timeout/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(sim.requests().at(-1)).toMatchObject({ path: LIST, status: 'hang' });
  });

  it('resets the connection', async () => {
    const sim = await start();
    sim.addFault({ kind: 'reset', count: 1 });
    const error = await get(sim, LIST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(String((error as { cause?: { code?: string } }).cause?.code)).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
  });

  it('limits a fault to paths that contain pathIncludes, set through the control API', async () => {
    const sim = await start();
    const response = await control(sim, 'faults', { kind: 'error', status: 503, rate: 1, pathIncludes: '/parts' });
    expect(response.status).toBe(201);
    const c = sim.store.conversations[0]!;
    expect((await get(sim, `/conversations/${c.id}/parts`)).status).toBe(503);
    expect((await get(sim, `/conversations/${c.id}`)).status).toBe(200);
    sim.clearFaults();
    expect((await get(sim, `/conversations/${c.id}/parts`)).status).toBe(200);
  });

  it('adds latency and records every request', async () => {
    const sim = await start({ latency: { fixedMs: 120 } });
    const started = Date.now();
    await get(sim, LIST, { paginate_count: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect(sim.requests()).toEqual([{ method: 'GET', path: LIST, query: expect.stringContaining('paginate_count=1'), status: 200 }]);
  });
});

describe('live change', () => {
  it('a user reply moves a conversation to the head with last_update = now (microseconds), reopening it', async () => {
    let clock = NOW;
    const sim = await start({ now: () => clock });
    const target = sim.store.conversations.find((c) => inInbox(c) && c.closed && c.reply_last_type === 'reply_admin')!;
    const before = structuredClone({ parts: target.parts_count, replies: target.replies_count });
    clock = NOW + 90_000;
    const changed = sim.addReply(target.id, { from: 'user', body: 'Still broken, sorry' });
    expect(changed.id).toBe(target.id);
    expect(Math.floor(changed.last_update)).toBe((NOW + 90_000) / 1000);
    expect(changed).toMatchObject({ reply_last_type: 'reply_user', closed: false, parts_count: before.parts + 1, replies_count: before.replies + 1 });

    const head = await get(sim, LIST, { paginate_count: 2 });
    expect(head.body.data[0]).toMatchObject({ id: target.id, reply_last_type: 'reply_user', part_last: { body: 'Still broken, sorry', type: 'reply_user' } });
    expect(head.text).toMatch(new RegExp(`"last_update":${Math.floor(changed.last_update)}\\.\\d+`));
    expect((await get(sim, LIST, { answered: 'false', paginate_count: 1 })).body.data[0].id).toBe(target.id);
  });

  it('an admin reply heads the answered=true list; two changes on a standing clock still order strictly', async () => {
    const sim = await start();
    const [a, b] = sim.store.conversations.filter(inInbox).slice(-2);
    sim.addReply(a!.id, { from: 'admin' });
    const second = sim.addReply(b!.id, { from: 'admin' });
    expect(second.last_update).toBeGreaterThan(a!.last_update);
    const reply = await get(sim, LIST, { answered: 'true', paginate_count: 2 });
    expect(reply.body.data.map((c: { id: string }) => c.id)).toEqual([b!.id, a!.id]);
    expect(reply.body.data[0].reply_last).toMatchObject({ type: 'reply_admin', from: { type: 'admin' } });
  });

  it('a created conversation appears at the head, with an id above every other', async () => {
    const sim = await start();
    const created = sim.createConversation({ body: 'Hello there' });
    expect(created.parts).toHaveLength(1);
    for (const c of sim.store.conversations) if (c !== created) expect(BigInt(created.id) > BigInt(c.id)).toBe(true);
    const head = await get(sim, LIST, { paginate_count: 1 });
    expect(head.body.data[0]).toMatchObject({ id: created.id, closed: false, reply_last_type: 'reply_user', part_last: { body: 'Hello there', first: true } });
    expect(expectedIds(sim)[0]).toBe(created.id);
  });

  it('works through POST /__sandbox/change/conversation and /reply', async () => {
    const sim = await start();
    const created = (await (await control(sim, 'change/conversation', {})).json()) as { id: string; last_update: number };
    expect(created.id).toMatch(/^\d{19}$/);
    expect(sim.store.conversation(created.id)).toBeDefined();
    const target = expectedIds(sim).at(-1)!;
    const response = await control(sim, 'change/reply', { id: target, from: 'admin', body: 'On it' });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ id: target, reply_last_type: 'reply_admin', reply_last: { body: 'On it' } });
    expect((await get(sim, LIST, { paginate_count: 1 })).body.data[0].id).toBe(target);
    const bad = await control(sim, 'change/reply', { id: '1', from: 'user' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'no conversation 1' });
  });

  it('a conversation updated during a walk jumps to the head and is not met again; the others come exactly once', async () => {
    const sim = await start();
    const expected = expectedIds(sim);
    const first = await get(sim, LIST, { paginate_count: 10 });
    const bumped = expected[35]!;
    sim.addReply(bumped, { from: 'user' });
    const rest = await walkV2(sim, LIST, { paginate_count: 10, paginate_position: JSON.stringify(first.body.meta.next_before_position) });
    const seen = [...first.body.data.map((c: { id: string }) => c.id), ...rest.ids];
    expect(seen).toEqual(expected.filter((id) => id !== bumped));
  });

  it('stops listing a conversation as delayed once the clock passes delayed_until', async () => {
    let clock = NOW;
    const sim = await start({ now: () => clock });
    const delayed = expectedIds(sim, (c) => c.delayed_until !== null);
    expect(delayed.length).toBeGreaterThan(0);
    expect((await walkV2(sim, LIST, { delayed: 'true', paginate_count: 50 })).ids).toEqual(delayed);
    clock = Math.max(...sim.store.conversations.map((c) => (c.delayed_until ?? 0) * 1000)) + 1000;
    expect((await walkV2(sim, LIST, { delayed: 'true', paginate_count: 50 })).ids).toEqual([]);
  });
});

describe('determinism', () => {
  it('the same seed gives the same records, tokens and bodies; another seed does not', async () => {
    const [a, b, c] = [await start(), await start(), await start({ seed: 2 })];
    expect(b.credentials).toEqual(a.credentials);
    expect(JSON.stringify(b.store.conversations)).toBe(JSON.stringify(a.store.conversations));
    expect((await get(b, LIST, { id_as_string: null })).text).toBe((await get(a, LIST, { id_as_string: null })).text);
    expect(c.credentials.token).not.toBe(a.credentials.token);
    expect(c.store.conversations.map((x) => x.last_update)).not.toEqual(a.store.conversations.map((x) => x.last_update));
  });

  it('builds a few hundred conversations by default', async () => {
    const sim = await start({ conversations: undefined });
    expect(sim.store.conversations).toHaveLength(300);
    expect(sim.store.channels.length).toBeGreaterThan(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SOURCE_IDS, startHarness, type Harness } from '../gateway/harness.js';
import { jsonBody, listen, rawConnect, until, type Listening } from './helpers.js';

/**
 * The front door serves GraphQL at exactly one path, and refuses a request without a valid
 * key before its body is read or it may wait for a GraphQL slot: a key's rate limit cannot
 * be dodged by another spelling of the path, and keyless callers cannot crowd keyed ones out.
 */

const KEY = 'front-door-key-0123456789abcdef';
const LIMITED_KEY = 'front-door-limited-key-0123456789';
const SLOTS = 2;
const SOURCES = JSON.stringify({ query: '{ sources { id } }' });
const SLOW = JSON.stringify({ query: '{ conversations(first: 2) { edges { cursor } } }' });

let h: Harness;
let front: Listening;
beforeAll(async () => {
  h = await startHarness({
    conversations: 4,
    config: {
      apiKeys: [
        { key: KEY, sources: [...ALL_SOURCE_IDS] },
        { key: LIMITED_KEY, sources: ['cq'], rateLimit: { requests: 2, perSeconds: 3600 } },
      ],
      admission: { concurrent: SLOTS, adaptive: false, queue: 1, maxWaitMs: 20_000 },
      limits: { bodyTimeoutMs: 20_000 },
    },
  });
  front = await listen(h.parley);
});
afterAll(async () => {
  await front?.close();
  await h?.close();
});

const post = async (path: string, headers: Record<string, string>, body = SOURCES) => {
  const response = await fetch(front.origin + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
};
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const upstreamCalls = () => Object.values(h.upstream()).flat().length;

describe('the GraphQL path', () => {
  it.each(['/graphql/', '/x/graphql', '/x/graphql/', '/graphql//', '/GRAPHQL', '/graphql/x', '//graphql', '/health/graphql'])(
    'answers POST %s with a coded 404 before GraphQL, even with a valid key',
    async (path) => {
      h.resetUpstream();
      const response = await post(path, as(KEY));
      expect(response.status).toBe(404);
      expect(response.body.errors.map((e: any) => e.extensions.code)).toEqual(['NOT_FOUND']);
      expect(response.body.data).toBeUndefined();
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(upstreamCalls()).toBe(0);
    },
  );

  it('answers a GET of another spelling 404 as well', async () => {
    const response = await fetch(`${front.origin}/graphql/?query=${encodeURIComponent('{ sources { id } }')}`, { headers: as(KEY) });
    expect(response.status).toBe(404);
  });

  it('counts every GraphQL request against the key: other spellings neither run nor spend it', async () => {
    for (const path of ['/graphql/', '/x/graphql', '/graphql//']) expect((await post(path, as(LIMITED_KEY))).status).toBe(404);
    expect((await post('/graphql', as(LIMITED_KEY))).body).toEqual({ data: { sources: [{ id: 'cq' }] } });
    expect((await post('/graphql?op=second', as(LIMITED_KEY))).status).toBe(200);
    const third = await post('/graphql', as(LIMITED_KEY));
    expect(third.status).toBe(429);
    expect(third.body.errors[0].extensions.code).toBe('RATE_LIMITED');
  });

  it('still answers the probes, with no key', async () => {
    expect((await fetch(`${front.origin}/health`)).status).toBe(200);
    expect((await fetch(`${front.origin}/ready`)).status).toBe(200);
    expect((await fetch(`${front.origin}/x/health`)).status).toBe(404);
  });
});

describe('requests without a valid key', () => {
  it('are answered 401 at the door, as Yoga answers them, without reading the body', async () => {
    const client = await rawConnect(front.port);
    // A body that never arrives: read, it would be a 408 only after limits.bodyTimeoutMs.
    client.socket.write('POST /graphql HTTP/1.1\r\nhost: parley\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n{"query":"');
    expect(await until(() => client.status() !== null)).toBe(true);
    expect(client.status()).toBe(401);
    expect(client.received()).toMatch(/\r\nwww-authenticate: Bearer realm="parley"\r\n/i);
    expect(client.received()).toMatch(/\r\nconnection: close\r\n/i);
    expect(jsonBody(client.received())).toEqual({
      errors: [{ message: 'an API key is required: send `Authorization: Bearer <key>`', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    client.socket.destroy();
  });

  it('never queue: with every slot held by slow keyed queries, a flood is refused at once, and a keyed request gets the next slot', async () => {
    const before = await h.parley.gateway.metrics!.registry.metrics();
    const unauthenticatedBefore = Number(/parley_graphql_errors_total\{operation="unknown",code="UNAUTHENTICATED"\} (\d+)/.exec(before)?.[1] ?? 0);
    h.sandbox.carrotquest.setLatency({ fixedMs: 1500 });
    try {
      let slowDone = 0;
      const slow = Array.from({ length: SLOTS }, () => post('/graphql', as(KEY), SLOW).finally(() => (slowDone += 1)));
      expect(await until(() => h.parley.admission.stats().running === SLOTS)).toBe(true);

      let mostQueued = 0;
      const watch = setInterval(() => (mostQueued = Math.max(mostQueued, h.parley.admission.stats().queued)), 1);
      const flood = await Promise.all(
        Array.from({ length: 40 }, (_, i) => post('/graphql', i % 2 === 0 ? {} : { authorization: `Bearer not-a-key-${i}-0123456789` })),
      );
      clearInterval(watch);
      expect(flood.map((r) => r.status)).toEqual(Array(40).fill(401));
      expect(flood.map((r) => r.body.errors[0].extensions.code)).toEqual(Array(40).fill('UNAUTHENTICATED'));
      expect(flood.every((r) => r.headers.get('www-authenticate') === 'Bearer realm="parley"')).toBe(true);
      // Answered while the slow queries still held every slot, and none of the flood waited in line.
      expect(slowDone).toBe(0);
      expect(mostQueued).toBe(0);
      expect(h.parley.admission.stats()).toMatchObject({ running: SLOTS, queued: 0 });
      const after = await h.parley.gateway.metrics!.registry.metrics();
      expect(after).toContain(`parley_graphql_errors_total{operation="unknown",code="UNAUTHENTICATED"} ${unauthenticatedBefore + 40}\n`);

      // The one place in line is still free for a caller with a key; the next one is told the gateway is full.
      const keyed = post('/graphql', as(KEY));
      expect(await until(() => h.parley.admission.stats().queued === 1)).toBe(true);
      const full = await post('/graphql', as(KEY));
      expect(full.status).toBe(503);
      expect(full.body.errors[0].extensions.code).toBe('SERVICE_OVERLOADED');
      expect(full.headers.get('x-content-type-options')).toBe('nosniff');
      expect(full.headers.get('cache-control')).toBe('no-store');
      expect((await keyed).body).toEqual({ data: { sources: ALL_SOURCE_IDS.map((id) => ({ id })) } });
      expect((await Promise.all(slow)).map((r) => r.status)).toEqual(Array(SLOTS).fill(200));
    } finally {
      h.sandbox.carrotquest.setLatency({ fixedMs: 0 });
    }
  });
});

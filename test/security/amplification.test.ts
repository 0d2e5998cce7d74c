import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listen, until, type Listening } from '../front/helpers.js';
import { ALL_SOURCE_IDS, simulatorsOf } from '../gateway/harness.js';
import { factsOf } from '../gateway/provider-facts.js';
import { codes, KEYS, startSecured, type Response, type Secured } from './helpers.js';
import { INBOX_QUERY } from './reference-queries.js';

/**
 * One request must not turn into hundreds of upstream calls, and one API key must not
 * starve another: the query's upstream calls are estimated before it runs and counted
 * while it runs (`limits.upstreamCalls`), each source's waiting line takes keys in turn,
 * and a key may be held to a request rate (`apiKeys[].rateLimit`).
 */

const AMPLIFIER = `{ ${[0, 1, 2, 3, 4, 5].map((i) => `a${i}: conversations(first: 100) { edges { node { id parts(first: 1) { edges { node { id } } } } } }`).join(' ')} }`;

const upstreamCalls = (s: Secured) => simulatorsOf(s.sandbox).reduce((sum, sim) => sum + sim.requests().length, 0);
const resetUpstream = (s: Secured) => simulatorsOf(s.sandbox).forEach((sim) => sim.resetRequests());
/** The list calls every source needs for `rows` rows, at its provider's page size. */
const listCallsFor = (rows: number) => ALL_SOURCE_IDS.reduce((sum, source) => sum + Math.ceil(rows / factsOf(source).listPageSize), 0);

describe('the upstream call budget', () => {
  let s: Secured;
  beforeAll(async () => {
    s = await startSecured({
      conversations: 40,
      // Retries every failed attempt at once, and never opens the circuit: each attempt is a call.
      config: { resilience: { retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 1, minAttemptMs: 1 }, breaker: { failureThreshold: 1000 } } },
    });
  });
  afterAll(() => s.close());
  afterEach(() => s.sandbox.carrotquest.clearFaults());

  it('refuses the six-alias amplification query before it runs, naming the budget, and calls no provider', async () => {
    resetUpstream(s);
    const response = await s.query(AMPLIFIER);
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(codes(response)).toEqual(['QUERY_TOO_COMPLEX']);
    const error = response.body.errors![0]!;
    expect(error.extensions).toMatchObject({ limit: 'upstreamCalls', max: 40 });
    // 6 x (list calls for 101 rows, e.g. Carrot quest 3 of 50, Chatwoot 5 of 25, Re:amaze 4 of 30, Intercom 1 of 150; + 100 parts calls).
    expect(listCallsFor(101)).toBeGreaterThanOrEqual(12);
    expect(error.extensions!.found).toBe(6 * (listCallsFor(101) + 100));
    expect(error.message).toContain('limits.upstreamCalls');
    expect(upstreamCalls(s)).toBe(0);
  });

  it('counts a nested `parts` per edge: a page of 40 with parts is refused, a page of 20 is answered', async () => {
    const withParts = (first: number) => `{ conversations(first: ${first}) { edges { node { id parts(first: 1) { edges { node { id } } } } } } }`;
    const refused = await s.query(withParts(40));
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'upstreamCalls', max: 40, found: listCallsFor(41) + 40 });
    resetUpstream(s);
    const answered = await s.query(withParts(20));
    expect(answered.body.errors).toBeUndefined();
    expect(answered.body.data.conversations.edges).toHaveLength(20);
    // One list call per source (every page size holds 21 rows), one parts call per edge.
    expect(upstreamCalls(s)).toBe(ALL_SOURCE_IDS.length + 20);
  });

  it('leaves the reference inbox far below it: one list call per source', async () => {
    resetUpstream(s);
    const inbox = await s.query(INBOX_QUERY, { first: 20 });
    expect(inbox.body.errors).toBeUndefined();
    expect(upstreamCalls(s)).toBe(ALL_SOURCE_IDS.length);
  });

  it('counts only ids of readable sources under `nodes`', async () => {
    const page = await s.query('{ conversations(first: 45) { edges { node { id source } } } }');
    const ids: string[] = page.body.data.conversations.edges.map((e: any) => e.node.id);
    const cq = page.body.data.conversations.edges.filter((e: any) => e.node.source === 'cq').map((e: any) => e.node.id);
    const nodes = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }';
    // Every distinct id is a lookup for the key that reads every source...
    expect((await s.query(nodes, { ids: [...ids, ids[0]] })).body.errors![0]!.extensions).toMatchObject({ limit: 'upstreamCalls', found: 45 });
    // ...and only its own source's ids are for a key scoped to one.
    const scoped = await s.query(nodes, { ids }, 'cq');
    expect(scoped.body.errors).toBeUndefined();
    expect(scoped.body.data.nodes.filter((n: unknown) => n !== null)).toHaveLength(cq.length);
  });

  it('cuts a query that passes the estimate but spends the budget while running (retries count), with a coded error per source', async () => {
    const query = '{ conversations(first: 15, filter: { sources: ["cq"] }) { edges { node { id parts(first: 1) { edges { node { id } } } } } } }';
    // Estimated 1 list call + 15 parts calls; every parts call fails twice and succeeds on its third attempt.
    s.sandbox.carrotquest.addFault({ kind: 'error', status: 500, count: 30, pathIncludes: '/parts' });
    resetUpstream(s);
    const response: Response = await s.query(query);
    expect(upstreamCalls(s)).toBe(40);
    const edges = response.body.data.conversations.edges;
    expect(edges).toHaveLength(15);
    const cut = response.body.errors!.filter((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX');
    expect(cut.length).toBeGreaterThan(0);
    for (const error of cut) {
      expect(error.extensions).toMatchObject({ source: 'cq', limit: 'upstreamCalls', max: 40, retryable: false });
      expect(error.message).toContain('limits.upstreamCalls');
    }
    // A thread that could not be read is null, with its error at its path; the others came back. The
    // faults go to whichever attempts come first, so a thread may also exhaust its retries before the cut.
    const nullAt = edges.flatMap((e: any, index: number) => (e.node.parts === null ? [index] : []));
    const errorAt = response.body.errors!.map((e) => e.path!).sort((a, b) => Number(a[2]) - Number(b[2]));
    expect(errorAt).toEqual(nullAt.map((index: number) => ['conversations', 'edges', index, 'node', 'parts']));
    expect(response.body.errors!.filter((e) => e.extensions?.code !== 'QUERY_TOO_COMPLEX').map((e) => e.extensions?.code)).toEqual(
      Array(errorAt.length - cut.length).fill('SOURCE_UNAVAILABLE'),
    );
  });
});

describe('fairness between API keys', () => {
  let s: Secured;
  beforeAll(async () => {
    // Two calls at a time to each provider, so that one key's load makes a long line.
    s = await startSecured({ conversations: 60, config: { resilience: { concurrency: { perSource: 2 } }, deadlineMs: 2000 } });
    s.sandbox.carrotquest.setLatency({ fixedMs: 25 });
  });
  afterAll(() => s.close());

  it("one key's six clients flooding Carrot quest do not delay another key's call behind their line", async () => {
    // Just under the budget: 2 list calls and 35 parts calls, all to cq.
    const heavy = '{ conversations(first: 35) { edges { node { id parts(first: 1) { edges { node { id } } } } } } }';
    const cq = s.sandbox.carrotquest;
    let flooding = true;
    const floodResults: Response[] = [];
    const flood = Array.from({ length: 6 }, async () => {
      while (flooding) floodResults.push(await s.query(heavy, {}, 'cq'));
    });
    resetUpstream(s);
    try {
      // Let the line build up: a hundred and more cq calls wait behind two slots.
      while (cq.requests().length < 20) await new Promise((resolve) => setTimeout(resolve, 10));
      for (let i = 0; i < 3; i++) {
        const sentAt = cq.requests().length;
        const inbox = await s.query(INBOX_QUERY, { first: 20 }, 'all');
        expect(inbox.body.errors).toBeUndefined();
        expect(inbox.body.data.conversations.sources.map((r: any) => [r.source, r.status])).toEqual(ALL_SOURCE_IDS.map((source) => [source, 'OK']));
        // The simulator logs calls as they get a slot: the inbox's list call came within a turn,
        // not after the flood's whole line (first-come-first-served put a hundred calls ahead of it).
        const log = cq.requests();
        const inboxCall = log.findIndex((r, at) => at >= sentAt && r.path.endsWith('/conversations') && r.query.includes('paginate_count=21'));
        expect(inboxCall).toBeGreaterThanOrEqual(sentAt);
        expect(inboxCall - sentAt).toBeLessThanOrEqual(4);
      }
    } finally {
      flooding = false;
      await Promise.all(flood);
    }
    // The flood was real: the heavy key kept Carrot quest busy the whole time.
    expect(cq.requests().length).toBeGreaterThan(40);
    expect(floodResults.length).toBeGreaterThan(0);
  });
});

describe('per-key request rate limit', () => {
  const SLOTS = 4;
  let s: Secured;
  let front: Listening;
  beforeAll(async () => {
    s = await startSecured({
      conversations: 4,
      config: {
        apiKeys: [
          { key: KEYS.all, sources: [...ALL_SOURCE_IDS] },
          { key: KEYS.cq, sources: ['cq'], rateLimit: { requests: 3, perSeconds: 60 } },
        ],
        admission: { concurrent: SLOTS, adaptive: false, queue: 64, maxWaitMs: 10_000 },
      },
    });
    front = await listen(s.parley);
  });
  afterAll(async () => {
    await front?.close();
    await s?.close();
  });

  /** A POST on the gateway's port, as the given key: the rate limit is counted where a request arrives. */
  const post = async (query: string, key: keyof typeof KEYS) => {
    const response = await fetch(`${front.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS[key]}` },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Response['body'] };
  };

  it('answers 429 RATE_LIMITED with Retry-After past the limit, without running the query, and leaves other keys alone', async () => {
    for (let i = 0; i < 3; i++) expect((await post('{ sources { id } }', 'cq')).status).toBe(200);
    resetUpstream(s);
    const limited = await post('{ conversations(first: 5) { edges { cursor } } }', 'cq');
    expect(limited.status).toBe(429);
    expect(codes(limited)).toEqual(['RATE_LIMITED']);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body.errors![0]!.extensions).toMatchObject({ retryAfter });
    expect(limited.body.errors![0]!.message).toContain('rateLimit');
    expect(upstreamCalls(s)).toBe(0);
    expect((await post('{ sources { id } }', 'all')).status).toBe(200);
    // A wrong key is told so (401), whatever the rate limits.
    const stranger = await fetch(`${front.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-key-of-this-gateway-0000' },
      body: JSON.stringify({ query: '{ sources { id } }' }),
    });
    expect(stranger.status).toBe(401);
    expect((await stranger.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // Still counted among GraphQL requests refused before their operation was read.
    expect(await s.parley.gateway.metrics!.registry.metrics()).toMatch(/parley_graphql_errors_total\{operation="unknown",code="RATE_LIMITED"\} 1\n/);
  });

  it('refuses a throttled key at once while every GraphQL slot is held by slow requests: its requests never wait in line', async () => {
    // Whatever is left of the key's three requests is spent first, while the gateway is idle.
    for (let left = 3; left > 0; left--) {
      if ((await post('{ sources { id } }', 'cq')).status === 429) break;
    }
    s.sandbox.carrotquest.setLatency({ fixedMs: 1500 });
    try {
      let slowDone = 0;
      const slow = Array.from({ length: SLOTS }, () => post('{ conversations(first: 5) { edges { cursor } } }', 'all').finally(() => (slowDone += 1)));
      expect(await until(() => s.parley.admission.stats().running === SLOTS)).toBe(true);

      const limited = await Promise.all(Array.from({ length: 6 }, () => post('{ sources { id } }', 'cq')));
      expect(limited.map((r) => r.status)).toEqual(Array(6).fill(429));
      expect(limited.flatMap(codes)).toEqual(Array(6).fill('RATE_LIMITED'));
      // Answered while the slow requests still held every slot, and none of them joined the line.
      expect(slowDone).toBe(0);
      expect(s.parley.admission.stats()).toMatchObject({ running: SLOTS, queued: 0 });

      expect((await Promise.all(slow)).map((r) => r.status)).toEqual(Array(SLOTS).fill(200));
    } finally {
      s.sandbox.carrotquest.setLatency({ fixedMs: 0 });
    }
  });
});

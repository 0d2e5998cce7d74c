import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisMissing } from '../shared-state/redis-server.js';
import { SIMULATORS } from '../../src/sandbox/registry.js';
import { oracleWorld } from '../gateway/oracle/index.js';
import { startReplicaSet, type ReplicaSet } from './harness.js';

/**
 * Three gateway processes share one Redis and one set of simulators: the provider sees one
 * quota, one pause and one directory load for all of them, and a cursor from one replica
 * pages on another.
 */

const missing = redisMissing();
// Quota windows are aligned to the clock: an hour-long one all but never ends inside this file.
const QUOTA = { requests: 4, perSeconds: 3600 };
const windowOf = (ms: number) => Math.floor(ms / (QUOTA.perSeconds * 1000));

const PAGE = /* GraphQL */ `
  query Page($sources: [String!], $first: Int, $after: String) {
    conversations(filter: { sources: $sources }, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      sources { source status errorCode upstreamCalls }
      edges { node { id } }
    }
  }
`;
const WITH_CHANNELS = /* GraphQL */ `
  query Channels {
    conversations(first: 5) {
      edges { node { id source nativeId channel { name } } }
    }
  }
`;

let set: ReplicaSet;
let startedAt: number;

describe.skipIf(missing !== null)('replicas over one Redis', () => {
  beforeAll(async () => {
    startedAt = Date.now();
    set = await startReplicaSet(3, (sandbox, url) => ({
      redis: { url, keyPrefix: 'replicas-test:' },
      sources: sandbox.sources().map((source) => (source.id === 'cq' ? { ...source, quota: QUOTA } : source)),
    }));
  }, 60_000);
  afterAll(async () => {
    await set?.close();
  });

  const calls = (sim: 'carrotquest' | 'chatwoot' | 'reamaze', pathIncludes: string) =>
    set.sandbox[sim].requests().filter((request) => request.path.includes(pathIncludes)).length;
  /** Every simulator's calls other than to conversations: its directory lists. */
  const directoryCalls = () =>
    SIMULATORS.map(({ provider }) => set.sandbox[provider].requests().filter((request) => !request.path.includes('/conversations')).map((request) => `${provider} ${request.path}`));

  it('loads each directory list once for all replicas', async () => {
    // Start-up warmed the channel lists on every replica.
    expect(calls('carrotquest', '/channels')).toBe(1);
    expect(calls('chatwoot', '/inboxes')).toBe(1);
    expect(calls('reamaze', '/channels')).toBe(1);
    const warmed = directoryCalls();
    // Every provider's lists: each loaded once, by one replica.
    for (const paths of warmed) expect(new Set(paths).size).toBe(paths.length);
    const world = oracleWorld(set.sandbox);
    for (const replica of set.replicas) {
      const { status, body } = await replica.query(WITH_CHANNELS);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      // A channel wherever the provider's data has one (an Intercom conversation assigned to no team has none).
      for (const { node } of body.data.conversations.edges as Array<{ node: { source: keyof typeof world; nativeId: string; channel: unknown } }>) {
        const facts = world[node.source].find((c) => c.nativeId === node.nativeId);
        expect(node.channel !== null, `${node.source}:${node.nativeId}`).toBe(facts?.channelId != null);
      }
    }
    expect([calls('carrotquest', '/channels'), calls('chatwoot', '/inboxes'), calls('reamaze', '/channels')]).toEqual([1, 1, 1]);
    expect(directoryCalls()).toEqual(warmed);
  });

  it('a cursor minted by one replica pages on another', async () => {
    const [a, b, c] = set.replicas;
    const first = await a!.query(PAGE, { sources: ['cw'], first: 3 });
    expect(first.body.errors).toBeUndefined();
    const second = await b!.query(PAGE, { sources: ['cw'], first: 3, after: first.body.data.conversations.pageInfo.endCursor });
    expect(second.body.errors).toBeUndefined();
    const third = await c!.query(PAGE, { sources: ['cw'], first: 3, after: second.body.data.conversations.pageInfo.endCursor });
    expect(third.body.errors).toBeUndefined();
    const ids = [first, second, third].flatMap((page) => page.body.data.conversations.edges.map((edge: { node: { id: string } }) => edge.node.id));
    expect(ids).toHaveLength(9);
    expect(new Set(ids).size).toBe(9);
  });

  it('a burst spread over the replicas makes at most the quota of calls per window at the provider', async () => {
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => set.replicas[i % 3]!.query(PAGE, { sources: ['cq'], first: 1 })));
    // Every call the simulator saw since start-up (warm-up included): the quota's calls, not three times as many.
    const windows = windowOf(Date.now()) - windowOf(startedAt) + 1;
    if (windows === 1) expect(set.sandbox.carrotquest.requests()).toHaveLength(QUOTA.requests);
    else expect(set.sandbox.carrotquest.requests().length).toBeLessThanOrEqual(QUOTA.requests * windows);
    expect(burst.every((answer) => answer.status === 200)).toBe(true);
    const refused = burst.flatMap((answer) => answer.body.errors ?? []);
    expect(refused.length).toBeGreaterThanOrEqual(12 - QUOTA.requests);
    for (const error of refused) {
      expect(error.extensions).toMatchObject({ code: 'SOURCE_RATE_LIMITED', source: 'cq' });
      expect(error.extensions.retryAfter).toBeGreaterThanOrEqual(1);
      expect(error.extensions.retryAfter).toBeLessThanOrEqual(300);
    }
  });

  it('a 429 with Retry-After seen by one replica pauses the source on the others', async () => {
    const [a, b, c] = set.replicas;
    set.sandbox.reamaze.resetRequests();
    set.sandbox.reamaze.addFault({ kind: 'rateLimit', retryAfter: 30, count: 1, pathIncludes: '/conversations' });
    const throttled = await a!.query(PAGE, { sources: ['rz'], first: 1 });
    expect(throttled.body.errors?.[0]?.extensions).toMatchObject({ code: 'SOURCE_RATE_LIMITED', source: 'rz', retryAfter: 30 });
    expect(set.sandbox.reamaze.requests()).toHaveLength(1);
    // The simulator would answer now; the other replicas do not ask it.
    for (const replica of [b!, c!]) {
      const paused = await replica.query(PAGE, { sources: ['rz'], first: 1 });
      expect(paused.status).toBe(200);
      expect(paused.body.data.conversations.sources[0]).toMatchObject({ source: 'rz', status: 'FAILED', errorCode: 'SOURCE_RATE_LIMITED', upstreamCalls: 0 });
      expect(paused.body.errors[0].extensions.retryAfter).toBeGreaterThanOrEqual(25);
    }
    expect(set.sandbox.reamaze.requests()).toHaveLength(1);
  });
});

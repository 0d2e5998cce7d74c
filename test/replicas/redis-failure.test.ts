import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { redisMissing } from '../shared-state/redis-server.js';
import { startReplicaSet, type Replica, type ReplicaSet } from './harness.js';

/**
 * Redis dies under load: replicas keep answering from their local quotas and caches, say
 * so once, report `degraded` readiness and a 0 gauge, and share again once it is back.
 */

const missing = redisMissing();

const INBOX = /* GraphQL */ `
  query Inbox {
    conversations(first: 10) {
      sources { source status errorCode }
      edges { node { id channel { name } assignee { name } } }
    }
  }
`;

const UNREACHABLE = 'shared state (Redis) unreachable: serving with this replica\'s local quotas, limits and caches';
const REACHABLE = 'shared state (Redis) reachable again: quotas, limits and caches are shared across replicas';

let set: ReplicaSet;

async function ready(replica: Replica): Promise<{ status: number; body: any }> {
  const response = await fetch(`${replica.url}/ready`);
  return { status: response.status, body: await response.json() };
}

async function gauge(replica: Replica): Promise<string | undefined> {
  const text = await (await fetch(`${replica.metricsUrl}/metrics`)).text();
  return /^parley_shared_state_up (\d+)$/m.exec(text)?.[1];
}

const lines = (replica: Replica, msg: string) => replica.log.filter((record) => record.msg === msg).length;

describe.skipIf(missing !== null)('Redis failing under load', () => {
  beforeAll(async () => {
    set = await startReplicaSet(2, (sandbox, url) => ({
      redis: { url, keyPrefix: 'failure-test:' },
      metrics: { port: 0 },
      // Lists expire (and are served stale) within the test, so their reloads meet the dead Redis too.
      listCacheTtlMs: 100,
      sources: sandbox.sources(),
    }));
    await vi.waitFor(() => expect(set.replicas.every((replica) => replica.metricsUrl !== null)).toBe(true));
  }, 60_000);
  afterAll(async () => {
    await set?.close();
  });

  it('keeps serving every request, then reports degraded readiness, and recovers when Redis is back', async () => {
    for (const replica of set.replicas) {
      expect(await ready(replica)).toMatchObject({ status: 200, body: { status: 'ready', sharedState: 'up' } });
      expect(await gauge(replica)).toBe('1');
    }

    const answers: Array<{ status: number; body: any }> = [];
    let stop = false;
    const clients = Array.from({ length: 8 }, async (_, i) => {
      for (let n = 0; !stop; n += 1) answers.push(await set.replicas[(i + n) % 2]!.query(INBOX));
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    const before = answers.length;
    await set.redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    stop = true;
    await Promise.all(clients);

    expect(before).toBeGreaterThan(0);
    expect(answers.length).toBeGreaterThan(before);
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(answers.filter((answer) => answer.body.errors !== undefined).map((answer) => answer.body.errors)).toEqual([]);
    expect(answers.every((answer) => answer.body.data.conversations.edges.length === 10)).toBe(true);

    for (const replica of set.replicas) {
      expect(await ready(replica)).toMatchObject({ status: 200, body: { status: 'degraded', sharedState: 'down', unreachable: [] } });
      expect(await gauge(replica)).toBe('0');
      // One line for the change, however many commands failed.
      expect(lines(replica, UNREACHABLE)).toBe(1);
    }

    await set.redis.restart();
    for (const replica of set.replicas) {
      await vi.waitFor(async () => expect((await ready(replica)).body).toMatchObject({ status: 'ready', sharedState: 'up' }), { timeout: 10_000, interval: 200 });
      // The gauge follows the connection's own events, which may come a moment after a probe got through.
      await vi.waitFor(async () => expect(await gauge(replica)).toBe('1'), { timeout: 5_000, interval: 100 });
      expect(lines(replica, REACHABLE)).toBe(1);
      expect((await replica.query(INBOX)).body.errors).toBeUndefined();
    }
  }, 40_000);
});

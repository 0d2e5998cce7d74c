import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimit, type RequestRateLimiter } from '../../src/limits/rate-limit.js';
import { createMemoryEventStreams, createRedisEventStreams, type EventStreams } from '../../src/shared-state/event-stream.js';
import { createMemoryKeyValueStore, createRedisKeyValueStore, type KeyValueStore } from '../../src/shared-state/kv-store.js';
import { createMemoryLeaseLocks, createRedisLeaseLocks, type LeaseLocks } from '../../src/shared-state/lease-lock.js';
import { createSharedLoads } from '../../src/shared-state/shared-loads.js';
import { createMemoryQuotas, createRedisQuotas, type Quota, type UpstreamQuotas } from '../../src/shared-state/upstream-quotas.js';
import { useRedis } from './use-redis.js';

/**
 * One contract, two stores: every shared-state interface behaves the same in memory and in
 * Redis. Each Redis test writes under a key prefix of its own.
 */

interface Stores {
  keyValues(): KeyValueStore;
  locks(): LeaseLocks;
  streams(): EventStreams;
  quotas(limits: ReadonlyMap<string, Quota | null>): UpstreamQuotas;
  rateLimiter(limits: ReadonlyMap<string, RateLimit>): RequestRateLimiter;
}

const { missing, client } = useRedis();
let prefixes = 0;
const prefix = () => `contract-${++prefixes}:`;


const memory: Stores = {
  keyValues: () => createMemoryKeyValueStore(),
  locks: () => createMemoryLeaseLocks(),
  streams: () => createMemoryEventStreams(),
  quotas: (limits) => createMemoryQuotas(limits),
  rateLimiter: (limits) => createMemoryRateLimiter(limits),
};
const inRedis: Stores = {
  keyValues: () => createRedisKeyValueStore(client(), prefix()),
  locks: () => createRedisLeaseLocks(client(), prefix()),
  streams: () => createRedisEventStreams(client(), prefix()),
  quotas: (limits) => createRedisQuotas(client(), prefix(), limits),
  rateLimiter: (limits) => createRedisRateLimiter(client(), prefix(), limits),
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([
  ['memory', memory, false],
  ['redis', inRedis, missing !== null],
] as const)('shared state in %s', (_name, stores, skip) => {
  describe.skipIf(skip)('key-value store', () => {
    it('keeps a value until its time to live runs out', async () => {
      const kv = stores.keyValues();
      await kv.set('a', 'one', 80);
      expect(await kv.get('a')).toBe('one');
      await sleep(200);
      expect(await kv.get('a')).toBeNull();
    });

    it('lets exactly one of several concurrent claims win', async () => {
      const kv = stores.keyValues();
      const wins = await Promise.all(['r1', 'r2', 'r3', 'r4'].map((who) => kv.setIfAbsent('idem:42', who, 10_000)));
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await kv.get('idem:42')).toBe(['r1', 'r2', 'r3', 'r4'][wins.indexOf(true)]);
    });

    it('claims a key again once the earlier claim expired', async () => {
      const kv = stores.keyValues();
      expect(await kv.setIfAbsent('k', 'first', 50)).toBe(true);
      await sleep(150);
      expect(await kv.setIfAbsent('k', 'second', 10_000)).toBe(true);
      expect(await kv.get('k')).toBe('second');
    });

    it('compares and sets: only from the expected value', async () => {
      const kv = stores.keyValues();
      await kv.set('state', 'IN_FLIGHT', 10_000);
      expect(await kv.compareAndSet('state', 'DONE', 'X', 10_000)).toBe(false);
      expect(await kv.compareAndSet('state', 'IN_FLIGHT', 'DONE', 10_000)).toBe(true);
      expect(await kv.get('state')).toBe('DONE');
      expect(await kv.compareAndSet('absent', 'IN_FLIGHT', 'DONE', 10_000)).toBe(false);
      expect(await kv.get('absent')).toBeNull();
    });

    it('deletes, and deletes only its own value when asked to', async () => {
      const kv = stores.keyValues();
      await kv.set('claim', 'mine', 10_000);
      expect(await kv.deleteIf('claim', 'theirs')).toBe(false);
      expect(await kv.get('claim')).toBe('mine');
      expect(await kv.deleteIf('claim', 'mine')).toBe(true);
      expect(await kv.get('claim')).toBeNull();
      await kv.set('other', 'x', 10_000);
      await kv.delete('other');
      expect(await kv.get('other')).toBeNull();
    });

    it('refuses a time to live that is not a positive whole number of milliseconds', async () => {
      const kv = stores.keyValues();
      await expect(kv.set('a', 'b', 0)).rejects.toMatchObject({ code: 'SHARED_STATE_MISUSE' });
      await expect(kv.setIfAbsent('a', 'b', 1.5)).rejects.toMatchObject({ code: 'SHARED_STATE_MISUSE' });
    });
  });

  describe.skipIf(skip)('lease locks', () => {
    it('grants a lock to one holder at a time', async () => {
      const locks = stores.locks();
      const first = await locks.acquire('poller:cw', 'replica-a', 10_000);
      expect(first).not.toBeNull();
      expect(await locks.acquire('poller:cw', 'replica-b', 10_000)).toBeNull();
      expect(await locks.acquire('poller:cq', 'replica-b', 10_000)).not.toBeNull();
    });

    it('gives each later grant a larger fencing token', async () => {
      const locks = stores.locks();
      const first = (await locks.acquire('writer', 'a', 10_000))!;
      await first.release();
      const second = (await locks.acquire('writer', 'b', 10_000))!;
      expect(second.token).toBeGreaterThan(first.token);
    });

    it('frees the lock when the lease runs out, and the old holder can no longer renew', async () => {
      const locks = stores.locks();
      const stale = (await locks.acquire('poller', 'a', 60))!;
      await sleep(200);
      const next = (await locks.acquire('poller', 'b', 10_000))!;
      expect(next).not.toBeNull();
      expect(next.token).toBeGreaterThan(stale.token);
      expect(await stale.renew(10_000)).toBe(false);
      // A stale holder's release leaves the new holder's lock alone.
      await stale.release();
      expect(await locks.acquire('poller', 'c', 10_000)).toBeNull();
    });

    it('keeps the lock while the holder renews', async () => {
      const locks = stores.locks();
      const lease = (await locks.acquire('poller', 'a', 150))!;
      for (let i = 0; i < 4; i += 1) {
        await sleep(60);
        expect(await lease.renew(150)).toBe(true);
      }
      expect(await locks.acquire('poller', 'b', 10_000)).toBeNull();
    });
  });

  describe.skipIf(skip)('event streams', () => {
    it('resumes a reader after the last id it saw, oldest first', async () => {
      const streams = stores.streams();
      const ids: string[] = [];
      for (const n of ['1', '2', '3', '4']) ids.push(await streams.append('events:t1', { n }, 100));
      expect((await streams.read('events:t1', null, 10)).map((e) => e.fields.n)).toEqual(['1', '2', '3', '4']);
      expect((await streams.read('events:t1', ids[1]!, 10)).map((e) => e.fields.n)).toEqual(['3', '4']);
      expect((await streams.read('events:t1', ids[1]!, 1)).map((e) => e.id)).toEqual([ids[2]]);
      expect(await streams.read('events:t1', ids[3]!, 10)).toEqual([]);
      expect(await streams.read('events:none', null, 10)).toEqual([]);
    });

    it('gives ids that grow within a stream', async () => {
      const streams = stores.streams();
      const ids = [];
      for (let i = 0; i < 20; i += 1) ids.push(await streams.append('s', { i: String(i) }, 100));
      const parsed = ids.map((id) => id.split('-').map(Number) as [number, number]);
      for (let i = 1; i < parsed.length; i += 1) {
        const [a, b] = [parsed[i - 1]!, parsed[i]!];
        expect(b[0] > a[0] || (b[0] === a[0] && b[1] > a[1])).toBe(true);
      }
    });

    it('keeps only the newest entries', async () => {
      const streams = stores.streams();
      for (let i = 1; i <= 7; i += 1) await streams.append('s', { i: String(i) }, 3);
      expect((await streams.read('s', null, 10)).map((e) => e.fields.i)).toEqual(['5', '6', '7']);
    });

    it('refuses an id that is not a stream id', async () => {
      const streams = stores.streams();
      await expect(streams.read('s', 'yesterday', 10)).rejects.toMatchObject({ code: 'SHARED_STATE_MISUSE' });
    });
  });

  describe.skipIf(skip)('upstream quotas', () => {
    it('lets the quota through in a window, then names the wait', async () => {
      // Windows are aligned to the clock: an hour-long one makes a boundary inside the test all but impossible.
      const quotas = stores.quotas(new Map([['cw', { requests: 3, perSeconds: 3600 }]]));
      expect([await quotas.take('cw'), await quotas.take('cw'), await quotas.take('cw')]).toEqual([0, 0, 0]);
      const wait = await quotas.take('cw');
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(3_600_000);
      // The wait runs to the window's end on the clock, not an hour from the first call.
      expect(wait).toBeLessThanOrEqual(3_600_000 - (Date.now() % 3_600_000) + 50);
    });

    it('counts each source on its own', async () => {
      const quotas = stores.quotas(new Map([['a', { requests: 1, perSeconds: 3600 }], ['b', { requests: 1, perSeconds: 3600 }]]));
      expect(await quotas.take('a')).toBe(0);
      expect(await quotas.take('b')).toBe(0);
      expect(await quotas.take('a')).toBeGreaterThan(0);
    });

    it('pauses a source, even one without a quota, for the time asked', async () => {
      const quotas = stores.quotas(new Map([['rz', null]]));
      for (let i = 0; i < 50; i += 1) expect(await quotas.take('rz')).toBe(0);
      await quotas.pause('rz', 30_000);
      const wait = await quotas.take('rz');
      expect(wait).toBeGreaterThan(20_000);
      expect(wait).toBeLessThanOrEqual(30_000);
    });
  });

  describe.skipIf(skip)('request rate limits', () => {
    it('refuses a key past its limit with the seconds to wait, and leaves other keys alone', async () => {
      const limiter = stores.rateLimiter(new Map([['apiKeys[0]', { requests: 2, perSeconds: 60 }]]));
      expect(await limiter.take('apiKeys[0]')).toBeNull();
      expect(await limiter.take('apiKeys[0]')).toBeNull();
      const wait = await limiter.take('apiKeys[0]');
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      expect(await limiter.take('apiKeys[1]')).toBeNull();
    });
  });

  describe.skipIf(skip)('shared loads', () => {
    it('loads once for several concurrent callers, and serves the copy until it expires', async () => {
      const kv = stores.keyValues();
      const replicas = ['a', 'b', 'c'].map((holder) => createSharedLoads(kv, { holder, pollMs: 10, reserveMs: 50 }));
      const loads: string[] = [];
      const load = (who: string) => async () => {
        loads.push(who);
        await sleep(50);
        return `list from ${who}`;
      };
      const until = Date.now() + 5000;
      const answers = await Promise.all(replicas.map((replica, i) => replica.get('channels', 10_000, load(String(i)), { until })));
      expect(loads).toHaveLength(1);
      expect(new Set(answers)).toEqual(new Set([`list from ${loads[0]}`]));
      expect(await replicas[2]!.get('channels', 10_000, load('late'), { until })).toBe(`list from ${loads[0]}`);
      expect(loads).toHaveLength(1);
    });

    it('lets a waiting caller load itself when the first load fails', async () => {
      const kv = stores.keyValues();
      const [a, b] = ['a', 'b'].map((holder) => createSharedLoads(kv, { holder, pollMs: 10, reserveMs: 50 }));
      const until = Date.now() + 5000;
      const failing = a!.get('inboxes', 10_000, async () => {
        await sleep(40);
        throw new Error('provider down');
      }, { until });
      await sleep(5);
      const second = b!.get('inboxes', 10_000, async () => 'from b', { until });
      await expect(failing).rejects.toThrow('provider down');
      expect(await second).toBe('from b');
    });
  });
});

import { randomUUID } from 'node:crypto';
import { createMemoryRateLimiter, createRedisRateLimiter, type RequestRateLimiterFactory } from '../limits/rate-limit.js';
import type { Logger } from '../ops/log.js';
import { createMemoryEventStreams, createRedisEventStreams, type EventStreams } from './event-stream.js';
import { createMemoryKeyValueStore, createRedisKeyValueStore, type KeyValueStore } from './kv-store.js';
import { createMemoryLeaseLocks, createRedisLeaseLocks, type LeaseLocks } from './lease-lock.js';
import { createRedisConnection, type RedisSettings, type SharedStateStatus } from './redis-connection.js';
import { createSharedLoads, type SharedLoads } from './shared-loads.js';
import { createMemoryQuotas, createRedisQuotas, type Quota, type UpstreamQuotas } from './upstream-quotas.js';

export type { EventStreams, StreamEntry } from './event-stream.js';
export type { KeyValueStore } from './kv-store.js';
export type { Lease, LeaseLocks } from './lease-lock.js';
export type { RedisSettings, SharedStateStatus } from './redis-connection.js';
export type { SharedLoads } from './shared-loads.js';
export type { Quota, UpstreamQuotas } from './upstream-quotas.js';

/**
 * What replicas share (design.md section 12): upstream quotas, per-key request limits,
 * directory copies, and the stores later features build on (key-value with TTL, leased
 * locks, resumable streams). Without Redis the same interfaces run in this process.
 */
export interface SharedState {
  /** `redis` when configured, whether or not it answers now. */
  readonly store: 'memory' | 'redis';
  /** `up` in memory; with Redis, whether it answers now (`down`: this replica runs on local fallbacks). */
  readonly status: SharedStateStatus;
  /** Names this replica in claims and leases. */
  readonly replicaId: string;
  readonly quotas: UpstreamQuotas;
  readonly keyValues: KeyValueStore;
  readonly locks: LeaseLocks;
  readonly streams: EventStreams;
  /** Directory copies shared by replicas: null in memory, where the lists' own cache is the only copy. */
  readonly sharedLoads: SharedLoads | null;
  readonly requestRateLimiter: RequestRateLimiterFactory;
  /** Waits up to `timeoutMs` for Redis at start-up; at once in memory. */
  ready(timeoutMs: number): Promise<SharedStateStatus>;
  close(): Promise<void>;
}

export interface SharedStateOptions {
  logger: Logger;
  /** The quota of each source (null: none, only the provider's own 429s pause it). */
  quotas: ReadonlyMap<string, Quota | null>;
  now?: () => number;
  onStatus?: (status: SharedStateStatus) => void;
}

export function createSharedState(redis: RedisSettings | null | undefined, options: SharedStateOptions): SharedState {
  const replicaId = randomUUID();
  if (!redis) {
    const now = options.now ?? Date.now;
    return {
      store: 'memory',
      status: 'up',
      replicaId,
      quotas: createMemoryQuotas(options.quotas),
      keyValues: createMemoryKeyValueStore(now),
      locks: createMemoryLeaseLocks(now),
      streams: createMemoryEventStreams(now),
      sharedLoads: null,
      requestRateLimiter: createMemoryRateLimiter,
      ready: () => Promise.resolve('up'),
      close: () => Promise.resolve(),
    };
  }
  const connection = createRedisConnection(redis, { logger: options.logger, ...(options.onStatus ? { onStatus: options.onStatus } : {}) });
  const { client, keyPrefix } = connection;
  const keyValues = createRedisKeyValueStore(client, keyPrefix);
  const streams = createRedisEventStreams(client, keyPrefix);
  return {
    store: 'redis',
    get status() {
      return connection.status;
    },
    replicaId,
    quotas: createRedisQuotas(client, keyPrefix, options.quotas),
    keyValues,
    locks: createRedisLeaseLocks(client, keyPrefix),
    streams,
    sharedLoads: createSharedLoads(keyValues, { holder: replicaId }),
    requestRateLimiter: (limits) => createRedisRateLimiter(client, keyPrefix, limits),
    ready: (timeoutMs) => connection.ready(timeoutMs),
    close: async () => {
      await streams.close();
      await connection.close();
    },
  };
}

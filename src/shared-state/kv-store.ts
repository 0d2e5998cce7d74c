import type { Redis } from 'ioredis';
import { checkTtl } from './misuse.js';

/**
 * Strings under keys, each with a time to live, shared by every replica when Redis is
 * configured. Shaped for idempotency records (`setIfAbsent` claims a key once,
 * `compareAndSet` moves it from "in flight" to "done") and webhook de-duplication.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Stores `value` only if `key` holds nothing: true when this call stored it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Replaces the value only while it is still `expected`: true when it was replaced. */
  compareAndSet(key: string, expected: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Deletes `key` only while it holds `expected` (a claim released by its own holder): true when deleted. */
  deleteIf(key: string, expected: string): Promise<boolean>;
}

/** One process's store; expired entries are dropped when read, and swept when the map grows. */
export function createMemoryKeyValueStore(now: () => number = Date.now): KeyValueStore {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  let sweepAt = 1024;
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const put = (key: string, value: string, ttlMs: number) => {
    checkTtl(ttlMs);
    entries.set(key, { value, expiresAt: now() + ttlMs });
    if (entries.size >= sweepAt) {
      for (const name of entries.keys()) live(name);
      sweepAt = Math.max(1024, entries.size * 2);
    }
  };
  return {
    get: async (key) => live(key)?.value ?? null,
    set: async (key, value, ttlMs) => put(key, value, ttlMs),
    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      put(key, value, ttlMs);
      return true;
    },
    async compareAndSet(key, expected, value, ttlMs) {
      if (live(key)?.value !== expected) return false;
      put(key, value, ttlMs);
      return true;
    },
    delete: async (key) => void entries.delete(key),
    async deleteIf(key, expected) {
      if (live(key)?.value !== expected) return false;
      return entries.delete(key);
    },
  };
}

const COMPARE_AND_SET = `if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;
const DELETE_IF = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

/** The same store in Redis: `SET PX`, `SET NX PX`, and a script for the compare-and-set. */
export function createRedisKeyValueStore(redis: Redis, keyPrefix: string): KeyValueStore {
  const name = (key: string) => `${keyPrefix}kv:${key}`;
  return {
    get: (key) => redis.get(name(key)),
    async set(key, value, ttlMs) {
      checkTtl(ttlMs);
      await redis.set(name(key), value, 'PX', ttlMs);
    },
    async setIfAbsent(key, value, ttlMs) {
      checkTtl(ttlMs);
      return (await redis.set(name(key), value, 'PX', ttlMs, 'NX')) === 'OK';
    },
    async compareAndSet(key, expected, value, ttlMs) {
      checkTtl(ttlMs);
      return (await redis.eval(COMPARE_AND_SET, 1, name(key), expected, value, String(ttlMs))) === 1;
    },
    async delete(key) {
      await redis.del(name(key));
    },
    async deleteIf(key, expected) {
      return (await redis.eval(DELETE_IF, 1, name(key), expected)) === 1;
    },
  };
}

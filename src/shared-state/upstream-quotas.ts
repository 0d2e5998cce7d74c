import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit } from '../limits/rate-limit.js';

/**
 * Calls each source may receive per window, counted for all replicas together: providers
 * limit an account, not a replica. A provider's own "wait" (429 with `Retry-After`) pauses
 * the source for every replica through the same counter.
 */
export interface UpstreamQuotas {
  /** Takes one call of `key`'s quota: 0 when the call may go now, else the milliseconds until one may. */
  take(key: string): Promise<number>;
  /** No call on `key` for `ms`, on every replica (rounded up to whole seconds). */
  pause(key: string, ms: number): Promise<void>;
}

/** Calls per window: the same shape as a key's request rate limit. */
export type Quota = RateLimit;

/** In Redis a key without a quota still counts, so that a shared pause applies to it: against a ceiling no source reaches. */
const UNLIMITED: Quota = { requests: 2 ** 31 - 1, perSeconds: 1 };

/**
 * One process's quotas: fixed windows aligned to the clock, like the Redis ones, read
 * lazily so that no timer runs per window (rate-limiter-flexible's memory store arms one
 * per key).
 */
export function createMemoryQuotas(limits: ReadonlyMap<string, Quota | null>, now: () => number = Date.now): UpstreamQuotas {
  const windows = new Map<string, { startedAt: number; used: number }>();
  const pausedUntil = new Map<string, number>();
  return {
    async take(key) {
      const at = now();
      const paused = (pausedUntil.get(key) ?? 0) - at;
      if (paused > 0) return paused;
      const quota = limits.get(key);
      if (!quota) return 0;
      const lengthMs = quota.perSeconds * 1000;
      let window = windows.get(key);
      if (!window || at - window.startedAt >= lengthMs) {
        window = { startedAt: at - (at % lengthMs), used: 0 };
        windows.set(key, window);
      }
      if (window.used >= quota.requests) return Math.max(1, window.startedAt + lengthMs - at);
      window.used += 1;
      return 0;
    },
    async pause(key, ms) {
      // Whole seconds, as the Redis store keeps them.
      const until = now() + Math.max(1, Math.ceil(ms / 1000)) * 1000;
      pausedUntil.set(key, Math.max(until, pausedUntil.get(key) ?? 0));
    },
  };
}

/**
 * rate-limiter-flexible's count, with each window aligned to Redis's clock (a multiple of
 * the window's length since the epoch) instead of starting at its first call. Providers
 * that count fixed windows do so on the clock (Rack::Attack, Chatwoot's limiter): a window
 * of ours that straddled two of theirs could put up to twice the quota into one of them.
 * Same arguments and answer as the library's script: KEYS[1], ARGV[1] points to add,
 * ARGV[2] the window in seconds; returns {consumed, ms to the window's end}.
 */
const ALIGNED_INCR = `local now = redis.call('time')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local lengthMs = tonumber(ARGV[2]) * 1000
local endMs = (math.floor(nowMs / lengthMs) + 1) * lengthMs
redis.call('set', KEYS[1], 0, 'PXAT', endMs, 'NX')
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  redis.call('pexpireat', KEYS[1], endMs)
  ttl = endMs - nowMs
end
return {consumed, ttl}`;

/**
 * Quotas in Redis (`RateLimiterRedis`, fixed windows aligned to the clock). While Redis
 * cannot answer, each replica counts on its own (the insurance limiter), so calls go on at
 * up to the quota per replica.
 */
export function createRedisQuotas(redis: Redis, keyPrefix: string, limits: ReadonlyMap<string, Quota | null>): UpstreamQuotas {
  const limiters = new Map<string, { shared: RateLimiterRedis; local: RateLimiterMemory }>();
  const limiterOf = (key: string) => {
    let limiter = limiters.get(key);
    if (!limiter) {
      const quota = limits.get(key) ?? UNLIMITED;
      const local = new RateLimiterMemory({ points: quota.requests, duration: quota.perSeconds });
      const shared = new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${keyPrefix}quota`,
        points: quota.requests,
        duration: quota.perSeconds,
        rejectIfRedisNotReady: true,
        insuranceLimiter: local,
        customIncrTtlLuaScript: ALIGNED_INCR,
      });
      limiter = { shared, local };
      limiters.set(key, limiter);
    }
    return limiter;
  };
  return {
    async take(key) {
      try {
        await limiterOf(key).shared.consume(key);
        return 0;
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return Math.max(1, refusal.msBeforeNext);
        throw refusal;
      }
    },
    async pause(key, ms) {
      // rate-limiter-flexible blocks for whole seconds, and 0 would mean "for ever".
      const seconds = Math.max(1, Math.ceil(ms / 1000));
      const { shared, local } = limiterOf(key);
      // The local copy holds the pause too, so it outlasts Redis going away.
      await Promise.all([shared.block(key, seconds), local.block(key, seconds)]);
    },
  };
}

import type { Redis } from 'ioredis';
import type { RateLimit } from '../config/schema.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Per-caller request rate limits (`apiKeys[].rateLimit`), behind one small interface: the
 * counts live in this process, or in Redis so that every replica counts a key's requests
 * together (design.md section 12).
 */
export interface RequestRateLimiter {
  /** Counts one request of `caller`: null when it may go on, else the seconds until it may try again. */
  take(caller: string): Promise<number | null>;
}

// The config's schema is the one definition of a limit.
export type { RateLimit };

/** Builds a limiter over the limits of the callers that have one (the shared-state choice of store). */
export type RequestRateLimiterFactory = (limits: ReadonlyMap<string, RateLimit>) => RequestRateLimiter;

function createLimiter(limits: ReadonlyMap<string, RateLimit>, make: (limit: RateLimit) => RateLimiterAbstract): RequestRateLimiter {
  const limiters = new Map([...limits].map(([caller, limit]) => [caller, make(limit)]));
  return {
    async take(caller) {
      const limiter = limiters.get(caller);
      if (!limiter) return null;
      try {
        await limiter.consume(caller);
        return null;
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        throw refusal;
      }
    },
  };
}

/** In-process counters (rate-limiter-flexible's memory limiter), one per caller that has a limit. */
export function createMemoryRateLimiter(limits: ReadonlyMap<string, RateLimit>): RequestRateLimiter {
  return createLimiter(limits, (limit) => new RateLimiterMemory({ points: limit.requests, duration: limit.perSeconds }));
}

/**
 * Counters in Redis shared by every replica. While Redis cannot answer, each replica counts
 * on its own (the insurance limiter): a key may then make up to its limit per replica.
 */
export function createRedisRateLimiter(redis: Redis, keyPrefix: string, limits: ReadonlyMap<string, RateLimit>): RequestRateLimiter {
  return createLimiter(
    limits,
    (limit) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${keyPrefix}rate`,
        points: limit.requests,
        duration: limit.perSeconds,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points: limit.requests, duration: limit.perSeconds }),
      }),
  );
}

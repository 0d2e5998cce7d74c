import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Per-caller request rate limits (`apiKeys[].rateLimit`). Behind this small interface so
 * that replicas can share the counts through Redis later (design.md section 12) without
 * touching the callers; today the counts live in this process.
 */
export interface RequestRateLimiter {
  /** Counts one request of `caller`: null when it may go on, else the seconds until it may try again. */
  take(caller: string): Promise<number | null>;
}

export interface RateLimit {
  requests: number;
  perSeconds: number;
}

/** In-process counters (rate-limiter-flexible's memory limiter), one per caller that has a limit. */
export function createMemoryRateLimiter(limits: ReadonlyMap<string, RateLimit>): RequestRateLimiter {
  const limiters = new Map([...limits].map(([caller, limit]) => [caller, new RateLimiterMemory({ points: limit.requests, duration: limit.perSeconds })]));
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

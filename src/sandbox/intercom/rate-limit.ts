/**
 * `X-RateLimit-Limit`, `-Remaining` and `-Reset` on every answer (docs/providers/intercom.md
 * section 7): a budget per window (Intercom spreads its per-minute limit over 10-second
 * windows), reset at a unix second. Refusing past the budget is opt-in, so the sandbox and
 * the benchmark are not throttled unless asked.
 */

export interface RateLimitOptions {
  /** Calls allowed per window. @default 1666 (10,000 per minute in 10-second windows) */
  limit?: number;
  /** @default 10 */
  windowSeconds?: number;
  /** Answer 429 once the window's budget is spent. @default false */
  enforce?: boolean;
}

export interface RateLimiter {
  /** Counts one call: its headers, and whether it is over the budget. */
  take(nowMs: number): { headers: Record<string, string>; refused: boolean };
  /** The headers of a 429 the fault plan injects, waiting `retryAfter` (seconds or an HTTP date). */
  refusal(nowMs: number, retryAfter: string): Record<string, string>;
  configure(options: RateLimitOptions): void;
}

export function createRateLimiter(initial: RateLimitOptions = {}): RateLimiter {
  let options = { limit: 1666, windowSeconds: 10, enforce: false, ...initial };
  let windowStart = 0;
  let used = 0;
  const headers = (remaining: number, reset: number) => ({
    'x-ratelimit-limit': String(options.limit),
    'x-ratelimit-remaining': String(Math.max(0, remaining)),
    'x-ratelimit-reset': String(reset),
  });
  return {
    take(nowMs) {
      const now = Math.floor(nowMs / 1000);
      const start = now - (now % options.windowSeconds);
      if (start !== windowStart) {
        windowStart = start;
        used = 0;
      }
      used += 1;
      const refused = options.enforce && used > options.limit;
      return { headers: headers(options.limit - used, start + options.windowSeconds), refused };
    },
    refusal(nowMs, retryAfter) {
      const waitMs = /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : Math.max(0, Date.parse(retryAfter) - nowMs);
      return headers(0, Math.ceil((nowMs + (Number.isNaN(waitMs) ? 1000 : waitMs)) / 1000));
    },
    configure(next) {
      options = { ...options, ...next };
    },
  };
}

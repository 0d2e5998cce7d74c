import { z } from 'zod';

/**
 * How hard Parley tries one source before it reports the source as failed (design.md
 * section 7). One schema is the source of truth: the config file's `resilience` block is
 * parsed with it and `UpstreamClient` takes its output type.
 */
export const resilienceSchema = z.strictObject({
  retry: z
    .strictObject({
      /**
       * Extra attempts after the first, for idempotent reads that failed with a 5xx, a
       * reset or a per-attempt timeout, or a 429 whose `Retry-After` fits the deadline.
       * @default 2
       */
      maxRetries: z.number().int().min(0).max(10).default(2),
      /**
       * Backoff before the first retry; it doubles per retry, with jitter taking it down
       * to as little as half (AWS "equal jitter").
       * @default 100
       */
      initialDelayMs: z.number().int().min(0).max(60_000).default(100),
      /** Ceiling of one backoff. @default 1000 */
      maxDelayMs: z.number().int().min(0).max(60_000).default(1000),
      /**
       * A retry is made only if at least this much of the request deadline is left once
       * its wait is over: a retry cut off at once would only add load.
       * @default 100
       */
      minAttemptMs: z.number().int().min(0).max(60_000).default(100),
    })
    .prefault({}),
  breaker: z
    .strictObject({
      /** Consecutive failed attempts (5xx, resets, timeouts) that open the circuit. @default 5 */
      failureThreshold: z.number().int().min(1).max(1000).default(5),
      /** How long an open circuit fails calls at once before one test call may pass. @default 10000 */
      halfOpenAfterMs: z.number().int().min(1).max(600_000).default(10_000),
    })
    .prefault({}),
  concurrency: z
    .strictObject({
      /**
       * Upstream requests in flight to one source at once (also its keep-alive pool size):
       * what a provider's API is asked to bear, so modest. @default 16
       */
      perSource: z.number().int().min(1).max(256).default(16),
      /**
       * Requests that may wait for a slot; beyond it a call fails at once. A queued call
       * still ends at its request's deadline, so the queue only has to absorb a burst: 100
       * clients whose requests each make several calls to the source must not be refused.
       * @default 1024
       */
      queue: z.number().int().min(0).max(10_000).default(1024),
    })
    .prefault({}),
});

export type ResilienceSettings = z.output<typeof resilienceSchema>;

/** The defaults, for clients made outside the config (tests, scripts). */
export const defaultResilience = (): ResilienceSettings => resilienceSchema.parse({});

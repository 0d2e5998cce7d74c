import { z } from 'zod';

/**
 * The live-events settings (src/live/): how often each source is swept for changes push
 * lost, and how many events the log keeps for `since` replays.
 */
export const liveSchema = z
  .object({
    /**
     * Seconds between two reconcile sweeps of a source ("updated since the last sweep"); a
     * source without push is polled at its provider's own interval, else at this. @default 60
     */
    sweepSeconds: z.number().int().min(1).max(86_400).default(60),
    /** Events the log keeps: a `since` older than the oldest kept gets `RESYNC_REQUIRED`. @default 10000 */
    retainEvents: z.number().int().min(10).max(10_000_000).default(10_000),
  })
  .prefault({});

/** Subscriptions open at once, per API key and in all (each holds a connection, not a GraphQL slot). */
export const subscriptionLimitsSchema = z
  .object({
    /** @default 100 */
    perKey: z.number().int().min(1).max(1_000_000).default(100),
    /** @default 10000 */
    total: z.number().int().min(1).max(1_000_000).default(10_000),
  })
  .prefault({});

/** Bytes of one webhook delivery's body (`POST /webhooks/<sourceId>`): past it, 413. @default 1048576 */
export const webhookBytesSchema = z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024);

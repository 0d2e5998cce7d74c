import type { FeedConsumer } from '../providers/live-contract.js';
import type { KeyValueStore, LeaseLocks } from '../shared-state/index.js';
import type { Logger } from '../ops/log.js';
import type { HintQueue } from './hint-queue.js';
import { runUnderLease, type LeaseRunner } from './lease-runner.js';

/**
 * A source's realtime feed, consumed by one replica at a time (a lease, renewed while it
 * runs; on loss the consumer stops). Its position is kept in the shared store, so the next
 * holder resumes where the last one was.
 */
export interface FeedRunnerOptions {
  sourceId: string;
  feed: FeedConsumer;
  locks: LeaseLocks;
  keyValues: KeyValueStore;
  queue: HintQueue;
  holder: string;
  logger: Logger;
  /** How often the lease is renewed, and the pause before a stopped feed is resumed. @default 5000 */
  renewMs?: number;
}

const POSITION_TTL_MS = 7 * 24 * 3600_000;

export function startFeedRunner(options: FeedRunnerOptions): LeaseRunner {
  const renewMs = options.renewMs ?? 5000;
  const positionKey = `live:feed-position:${options.sourceId}`;
  let current: AbortController | null = null;
  const runner = runUnderLease({
    locks: options.locks,
    name: `live:feed:${options.sourceId}`,
    holder: options.holder,
    intervalMs: renewMs,
    logger: options.logger,
    async run() {
      // Still holding (renewed by the runner): the feed keeps running; else it starts here.
      if (current && !current.signal.aborted) return;
      const controller = new AbortController();
      current = controller;
      const signal = controller.signal;
      const resumeFrom = await options.keyValues.get(positionKey);
      void options.feed
        .run({
          resumeFrom,
          signal,
          onHints: async (hints) => {
            for (const hint of hints) options.queue.push({ sourceId: options.sourceId, hint, origin: 'feed' });
          },
          onPosition: (position) => options.keyValues.set(positionKey, position, POSITION_TTL_MS),
        })
        .catch((error: unknown) => options.logger.warn({ err: error, source: options.sourceId }, 'a realtime feed stopped; it resumes next interval'))
        .finally(() => controller.abort());
    },
  });
  // The runner renews its lease each interval; a lost lease ends this replica's consumer.
  const watch = setInterval(() => {
    if (!runner.holding) current?.abort();
  }, renewMs);
  watch.unref();
  return {
    get holding() {
      return runner.holding;
    },
    async stop() {
      clearInterval(watch);
      current?.abort();
      await runner.stop();
    },
  };
}

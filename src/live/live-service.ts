import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors/codes.js';
import type { Gateway } from '../gateway/gateway.js';
import type { ChangeHint } from '../providers/live-contract.js';
import { createDetector, type Detector } from './detector.js';
import { createEventLog, type EventLog } from './event-log.js';
import { createEventStream, type StreamItem } from './event-stream.js';
import type { EventOrigin, LoggedEvent } from './events.js';
import { createFanOut, type FanOut } from './fan-out.js';
import { startFeedRunner } from './feed-runner.js';
import { createHintQueue, type HintQueue } from './hint-queue.js';
import type { LeaseRunner } from './lease-runner.js';
import { createLiveMetrics, type LiveObserver } from './live-metrics.js';
import { startSweeper } from './sweep.js';
import { createWatermarks } from './watermarks.js';

/**
 * The live pipeline of one gateway: hints from every path go to one detector, whose events
 * go to the shared log; a tail per replica fans them out to this replica's subscribers.
 */
export interface Live {
  readonly log: EventLog;
  readonly detector: Detector;
  readonly queue: HintQueue;
  readonly observer: LiveObserver;
  /** Hints for the detector, in the background; false for each one dropped for lack of room. */
  hint(sourceId: string, hints: readonly ChangeHint[], origin: EventOrigin): void;
  /**
   * Parley's own write changed this conversation: diff it now rather than at the next sweep
   * (the write-back core's `onConversationWritten` calls this).
   */
  noteWrite(change: { sourceId: string; conversationId: string }): void;
  /** Opens a subscription for `caller` (refused past `limits.subscriptions`). */
  subscribe(options: { caller: string | undefined; since: string | null; accept(event: LoggedEvent): boolean }): AsyncIterableIterator<StreamItem>;
  /** Subscriptions open on this replica. */
  subscribers(): number;
  /** The sources whose sweep (or poll) this replica runs now: one replica per source. */
  sweeping(): string[];
  /** Starts the sweeps, polls and feeds of every source. */
  start(): void;
  close(): Promise<void>;
}

const QUEUE_CAPACITY = 10_000;
const DETECTOR_CONCURRENCY = 8;
const ANONYMOUS = 'anonymous';

const services = new WeakMap<Gateway, Live>();

/** The live pipeline of a gateway (created on first use). */
export function liveOf(gateway: Gateway): Live {
  let live = services.get(gateway);
  if (!live) {
    live = createLive(gateway);
    services.set(gateway, live);
  }
  return live;
}

export function createLive(gateway: Gateway): Live {
  const { shared, logger, config } = gateway;
  const log = createEventLog(shared.streams, config.live.retainEvents);
  const observer = createLiveMetrics(gateway.metrics?.registry ?? null);
  const watermarks = createWatermarks(shared.keyValues);
  const detector = createDetector({ sources: gateway.sources, keyValues: shared.keyValues, locks: shared.locks, log, watermarks, holder: shared.replicaId, logger, observer });
  const queue = createHintQueue({ detector, capacity: QUEUE_CAPACITY, concurrency: DETECTOR_CONCURRENCY, logger, onDropped: (id) => observer.onHintDropped(id) });
  const fanOut: FanOut = createFanOut({ log, logger });
  const runners: LeaseRunner[] = [];
  const sweepers = new Map<string, LeaseRunner>();
  const open = new Map<string, number>();
  let total = 0;
  observer.watchSubscribers(() => total);

  const admit = (caller: string) => {
    const limits = config.limits.subscriptions;
    const mine = open.get(caller) ?? 0;
    if (mine >= limits.perKey || total >= limits.total) {
      const [limit, max] = mine >= limits.perKey ? ['subscriptions.perKey', limits.perKey] : ['subscriptions.total', limits.total];
      throw new GraphQLError(`too many subscriptions open (config \`limits.${limit}\` is ${max}); close one first`, {
        extensions: { code: ErrorCode.TOO_MANY_SUBSCRIPTIONS, limit, max },
      });
    }
    open.set(caller, mine + 1);
    total += 1;
    return () => {
      total -= 1;
      const left = (open.get(caller) ?? 1) - 1;
      if (left === 0) open.delete(caller);
      else open.set(caller, left);
    };
  };

  return {
    log,
    detector,
    queue,
    observer,
    hint(sourceId, hints, origin) {
      for (const hint of hints) queue.push({ sourceId, hint, origin });
    },
    noteWrite(change) {
      queue.push({ sourceId: change.sourceId, hint: { conversationId: change.conversationId }, origin: 'write' });
    },
    subscribe({ caller, since, accept }) {
      const release = admit(caller ?? ANONYMOUS);
      return createEventStream({ log, fanOut, since, accept, onEnd: release });
    },
    subscribers: () => total,
    sweeping: () => [...sweepers].filter(([, runner]) => runner.holding).map(([id]) => id),
    start() {
      if (runners.length > 0) return;
      for (const source of gateway.sources.values()) {
        const push = source.live?.webhook !== undefined || source.live?.feed !== undefined;
        const seconds = push ? config.live.sweepSeconds : (source.live?.pollSeconds ?? config.live.sweepSeconds);
        const common = { locks: shared.locks, holder: shared.replicaId, logger };
        const sweeper = startSweeper({ ...common, source, watermarks, detector, intervalMs: seconds * 1000, origin: push ? 'sweep' : 'poll' });
        sweepers.set(source.sourceId, sweeper);
        runners.push(sweeper);
        const feed = source.live?.feed;
        if (feed) runners.push(startFeedRunner({ ...common, sourceId: source.sourceId, feed, keyValues: shared.keyValues, queue }));
      }
    },
    async close() {
      fanOut.close();
      queue.close();
      // Diffs under way finish and give their conversation locks back: a replica that stops
      // mid-diff would otherwise make the others wait out the lock's lease for that conversation.
      await Promise.all([queue.drained(), ...runners.map((runner) => runner.stop())]);
    },
  };
}

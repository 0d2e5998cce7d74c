import type { EventLog } from './event-log.js';
import type { FanOut } from './fan-out.js';
import type { LoggedEvent } from './events.js';

/**
 * One subscriber's events: from `since` (replayed from the log) or from now, then live,
 * through one cursor, so the seam between replay and live has no gap and no duplicate.
 * A subscriber that falls behind what the log keeps (a `since` too old, or a reader too
 * slow) gets one RESYNC_REQUIRED and goes on from the log's head.
 */

export interface ResyncRequired {
  kind: 'RESYNC_REQUIRED';
  cursor: string;
  occurredAt: number;
}

export type StreamItem = LoggedEvent | ResyncRequired;

export interface EventStreamOptions {
  log: EventLog;
  fanOut: FanOut;
  since: string | null;
  /** Whether this subscriber receives the event (its key's sources, its filter), checked per event. */
  accept(event: LoggedEvent): boolean;
  /** Called once when the stream ends, however it ends. */
  onEnd?: () => void;
  now?: () => number;
}

const BATCH = 100;

export function createEventStream(options: EventStreamOptions): AsyncIterableIterator<StreamItem> {
  const { log, fanOut, now = Date.now } = options;
  const stop = new AbortController();
  const pending: StreamItem[] = [];
  let cursor: string | null = null;
  let ended = false;

  async function begin(): Promise<void> {
    await fanOut.start();
    const head = await log.head();
    cursor = options.since ?? head;
    if (options.since !== null && (await log.isBehindRetention(cursor))) resync(head);
  }

  function resync(head: string) {
    cursor = head;
    pending.push({ kind: 'RESYNC_REQUIRED', cursor: head, occurredAt: now() });
  }

  /** Fills `pending` with the next accepted events, waiting for them when there are none yet. */
  async function fill(): Promise<void> {
    while (pending.length === 0 && !stop.signal.aborted) {
      let batch = fanOut.after(cursor!, BATCH);
      // Behind the ring: from the log, unless the log has moved past this cursor too.
      if (batch === null) {
        if (await log.isBehindRetention(cursor!)) return resync(await log.head());
        batch = await log.read(cursor, BATCH);
      }
      if (batch.length === 0) {
        await fanOut.waitBeyond(cursor!, stop.signal);
        continue;
      }
      for (const event of batch) {
        cursor = event.cursor;
        if (options.accept(event)) pending.push(event);
      }
    }
  }

  const end = (): IteratorResult<StreamItem> => {
    if (!ended) {
      ended = true;
      stop.abort();
      options.onEnd?.();
    }
    return { done: true, value: undefined };
  };

  let starting: Promise<void> | null = null;
  const iterator: AsyncIterableIterator<StreamItem> = {
    async next() {
      if (ended) return end();
      try {
        starting ??= begin();
        await starting;
        await fill();
      } catch (error) {
        end();
        throw error;
      }
      const item = pending.shift();
      return item && !ended ? { done: false, value: item } : end();
    },
    async return() {
      return end();
    },
    async throw(error: unknown) {
      end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

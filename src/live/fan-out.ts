import type { Logger } from '../ops/log.js';
import { compareCursors, type EventLog } from './event-log.js';
import type { LoggedEvent } from './events.js';

/**
 * One tail per replica over the event log: it reads what every replica appended and keeps
 * the newest events in a ring, so local subscribers take them from memory instead of each
 * reading the log. The log is the fan-out: a replica that was slow or away reads on from
 * its last cursor, and nothing is lost between replicas.
 */
export interface FanOut {
  /** Starts the tail (once) and resolves with the log's head at that time. */
  start(): Promise<string>;
  /** The events after `cursor` from memory, or null when the ring no longer (or not yet) reaches back to it. */
  after(cursor: string, max: number): LoggedEvent[] | null;
  /** Resolves when events after `cursor` arrive, or when `signal` fires. */
  waitBeyond(cursor: string, signal: AbortSignal): Promise<void>;
  close(): void;
}

export interface FanOutOptions {
  log: EventLog;
  logger: Logger;
  /** Events kept in memory. @default 2048 */
  ringSize?: number;
  /** How long one blocking read of the log waits. @default 1000 */
  blockMs?: number;
}

const READ_BATCH = 200;
const RETRY_MS = 500;

export function createFanOut(options: FanOutOptions): FanOut {
  const ringSize = options.ringSize ?? 2048;
  const blockMs = options.blockMs ?? 1000;
  const ring: LoggedEvent[] = [];
  // The ring holds every event after `floor`.
  let floor = '';
  let head = '';
  let started: Promise<string> | null = null;
  let closed = false;
  const waiters = new Set<() => void>();

  const wake = () => {
    for (const resolve of waiters) resolve();
    waiters.clear();
  };

  async function tail() {
    while (!closed) {
      try {
        const batch = await options.log.readBlocking(head, READ_BATCH, blockMs);
        if (batch.length === 0) continue;
        ring.push(...batch);
        head = batch.at(-1)!.cursor;
        if (ring.length > ringSize) floor = ring.splice(0, ring.length - ringSize).at(-1)!.cursor;
        wake();
      } catch (error) {
        if (closed) return;
        options.logger.warn({ err: error }, 'reading the live event log failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  return {
    start() {
      started ??= options.log.head().then((at) => {
        head = at;
        floor = at;
        void tail();
        return at;
      });
      return started;
    },
    after(cursor, max) {
      if (floor === '' || compareCursors(cursor, floor) < 0) return null;
      const out: LoggedEvent[] = [];
      // Newest last: walk back to the first event after `cursor`.
      let at = ring.length;
      while (at > 0 && compareCursors(ring[at - 1]!.cursor, cursor) > 0) at -= 1;
      for (let i = at; i < ring.length && out.length < max; i += 1) out.push(ring[i]!);
      return out;
    },
    waitBeyond(cursor, signal) {
      if (head !== '' && compareCursors(head, cursor) > 0) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          waiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        if (signal.aborted) return resolve();
        waiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    },
    close() {
      closed = true;
      wake();
    },
  };
}

import type { EventStreams } from '../shared-state/index.js';
import { decodeEvent, encodeEvent, type LiveEvent, type LoggedEvent } from './events.js';

/**
 * The deployment's one event log (`live:events`), bounded to `retain` entries: every
 * replica appends to it and tails it, and a reconnecting subscriber replays from it.
 */
export interface EventLog {
  append(event: LiveEvent): Promise<string>;
  /** Up to `count` events after `cursor` (null: from the oldest kept), oldest first. */
  read(cursor: string | null, count: number): Promise<LoggedEvent[]>;
  /** Like `read`, waiting up to `blockMs` when nothing is there yet. */
  readBlocking(cursor: string, count: number, blockMs: number): Promise<LoggedEvent[]>;
  /** The newest cursor, or `0-0` for an empty log. */
  head(): Promise<string>;
  /** Whether events after `cursor` were trimmed away, so a reader at `cursor` cannot resume without a gap. */
  isBehindRetention(cursor: string): Promise<boolean>;
}

export const EVENT_STREAM = 'live:events';
export const EMPTY_CURSOR = '0-0';

export function createEventLog(streams: EventStreams, retain: number, stream = EVENT_STREAM): EventLog {
  const decode = (entries: Array<{ id: string; fields: Record<string, string> }>) =>
    entries.flatMap((entry) => {
      const event = decodeEvent(entry.id, entry.fields);
      return event ? [event] : [];
    });
  return {
    append: (event) => streams.append(stream, encodeEvent(event), retain),
    read: async (cursor, count) => decode(await streams.read(stream, cursor, count)),
    readBlocking: async (cursor, count, blockMs) => decode(await streams.readBlocking(stream, cursor, count, blockMs)),
    head: async () => (await streams.lastId(stream)) ?? EMPTY_CURSOR,
    async isBehindRetention(cursor) {
      const trimmed = await streams.trimmedThrough(stream);
      return trimmed !== null && compareCursors(cursor, trimmed) < 0;
    },
  };
}

const CURSOR = /^(\d{1,16})-(\d{1,16})$/;

export function isCursor(text: string): boolean {
  return CURSOR.test(text);
}

/** Orders two cursors (`<ms>-<seq>`) as the log does. */
export function compareCursors(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am - bm || as - bs;
}

import type { Redis } from 'ioredis';
import { SharedStateMisuse } from './misuse.js';

/**
 * Append-only logs that readers resume: a reader keeps the id of the last entry it saw and
 * asks for what came after, from any replica (Redis Streams: XADD with MAXLEN, XREAD from
 * an id). Shaped for the live-event log, where a client reconnecting to another replica
 * gets what it missed.
 */
export interface EventStreams {
  /** Appends one entry and keeps only the newest `maxLength`; resolves with the entry's id. */
  append(stream: string, fields: Readonly<Record<string, string>>, maxLength: number): Promise<string>;
  /** Up to `count` entries after `afterId` (null: from the oldest kept), oldest first. */
  read(stream: string, afterId: string | null, count: number): Promise<StreamEntry[]>;
  /** Like `read` after an id, but waits up to `blockMs` for an entry when none is there yet (an empty list then). */
  readBlocking(stream: string, afterId: string, count: number, blockMs: number): Promise<StreamEntry[]>;
  /** The id of the newest entry, or null for an empty (or absent) stream. */
  lastId(stream: string): Promise<string | null>;
  /** The newest id trimmed away by the length bound, or null when nothing was: a reader behind it missed entries. */
  trimmedThrough(stream: string): Promise<string | null>;
  /** Ends the connection blocking reads hold (Redis); nothing in memory. */
  close(): Promise<void>;
}

export interface StreamEntry {
  /** `<milliseconds>-<sequence>`, as Redis writes them: ids grow within a stream. */
  id: string;
  fields: Record<string, string>;
}

export function createMemoryEventStreams(now: () => number = Date.now): EventStreams {
  const streams = new Map<string, { entries: StreamEntry[]; last: [number, number]; trimmed: string | null }>();
  // Blocked readers, woken by the next append to any stream.
  const waiters = new Set<() => void>();
  const read = (stream: string, afterId: string | null, count: number) => {
    checkCount(count);
    const entries = streams.get(stream)?.entries ?? [];
    const after = afterId === null ? [-1, -1] : parseId(afterId);
    return entries
      .filter((entry) => compareIds(parseId(entry.id), after) > 0)
      .slice(0, count)
      .map((entry) => ({ id: entry.id, fields: { ...entry.fields } }));
  };
  return {
    async append(stream, fields, maxLength) {
      checkLength(maxLength);
      const log = streams.get(stream) ?? { entries: [], last: [0, 0], trimmed: null };
      streams.set(stream, log);
      const ms = Math.max(now(), log.last[0]);
      log.last = ms === log.last[0] ? [ms, log.last[1] + 1] : [ms, 0];
      const id = `${log.last[0]}-${log.last[1]}`;
      log.entries.push({ id, fields: { ...fields } });
      if (log.entries.length > maxLength) log.trimmed = log.entries.splice(0, log.entries.length - maxLength).at(-1)!.id;
      for (const wake of waiters) wake();
      waiters.clear();
      return id;
    },
    read: async (stream, afterId, count) => read(stream, afterId, count),
    async readBlocking(stream, afterId, count, blockMs) {
      const ready = read(stream, afterId, count);
      if (ready.length > 0) return ready;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, blockMs);
        function wake() {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        }
        waiters.add(wake);
      });
      return read(stream, afterId, count);
    },
    lastId: async (stream) => streams.get(stream)?.entries.at(-1)?.id ?? null,
    trimmedThrough: async (stream) => streams.get(stream)?.trimmed ?? null,
    close: async () => undefined,
  };
}

export function createRedisEventStreams(redis: Redis, keyPrefix: string): EventStreams {
  const name = (stream: string) => `${keyPrefix}stream:${stream}`;
  let blocking: Redis | undefined;
  return {
    async append(stream, fields, maxLength) {
      checkLength(maxLength);
      // Exact trimming: `~` trims only whole internal nodes, so a reader could not rely on the length.
      const id = await redis.xadd(name(stream), 'MAXLEN', String(maxLength), '*', ...Object.entries(fields).flat());
      if (id === null) throw new Error('XADD returned no id');
      return id;
    },
    async read(stream, afterId, count) {
      checkCount(count);
      if (afterId !== null) parseId(afterId);
      const answer = await redis.xread('COUNT', count, 'STREAMS', name(stream), afterId ?? '0-0');
      const entries = answer?.[0]?.[1] ?? [];
      return entries.map(toEntry);
    },
    async readBlocking(stream, afterId, count, blockMs) {
      checkCount(count);
      parseId(afterId);
      // BLOCK holds its connection: a dedicated one, whose command timeout outlasts the block.
      blocking ??= redis.duplicate({ commandTimeout: blockMs + BLOCK_MARGIN_MS, enableOfflineQueue: true });
      const answer = await blocking.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', name(stream), afterId);
      return (answer?.[0]?.[1] ?? []).map(toEntry);
    },
    async lastId(stream) {
      const newest = await redis.xrevrange(name(stream), '+', '-', 'COUNT', 1);
      return newest[0]?.[0] ?? null;
    },
    async trimmedThrough(stream) {
      let info: unknown[];
      try {
        info = (await redis.xinfo('STREAM', name(stream))) as unknown[];
      } catch {
        return null; // no such stream yet
      }
      const at = info.indexOf('max-deleted-entry-id');
      const id = at >= 0 ? String(info[at + 1]) : '0-0';
      return id === '0-0' ? null : id;
    },
    async close() {
      blocking?.disconnect();
      blocking = undefined;
    },
  };
}

/** How much longer than its block a blocking read may take before it counts as lost. */
const BLOCK_MARGIN_MS = 2000;

function toEntry([id, flat]: [string, string[]]): StreamEntry {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return { id, fields };
}

function parseId(id: string): [number, number] {
  const match = /^(\d+)-(\d+)$/.exec(id);
  if (!match) throw new SharedStateMisuse(`a stream id is "<milliseconds>-<sequence>", got ${JSON.stringify(id)}`);
  return [Number(match[1]), Number(match[2])];
}

function compareIds(a: readonly number[], b: readonly number[]): number {
  return a[0]! - b[0]! || a[1]! - b[1]!;
}

function checkLength(maxLength: number): void {
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new SharedStateMisuse(`a stream keeps a whole number >= 1 of entries, got ${maxLength}`);
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new SharedStateMisuse(`a read asks for a whole number >= 1 of entries, got ${count}`);
}

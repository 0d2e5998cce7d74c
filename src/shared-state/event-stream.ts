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
}

export interface StreamEntry {
  /** `<milliseconds>-<sequence>`, as Redis writes them: ids grow within a stream. */
  id: string;
  fields: Record<string, string>;
}

export function createMemoryEventStreams(now: () => number = Date.now): EventStreams {
  const streams = new Map<string, { entries: StreamEntry[]; last: [number, number] }>();
  return {
    async append(stream, fields, maxLength) {
      checkLength(maxLength);
      const log = streams.get(stream) ?? { entries: [], last: [0, 0] };
      streams.set(stream, log);
      const ms = Math.max(now(), log.last[0]);
      log.last = ms === log.last[0] ? [ms, log.last[1] + 1] : [ms, 0];
      const id = `${log.last[0]}-${log.last[1]}`;
      log.entries.push({ id, fields: { ...fields } });
      if (log.entries.length > maxLength) log.entries.splice(0, log.entries.length - maxLength);
      return id;
    },
    async read(stream, afterId, count) {
      checkCount(count);
      const entries = streams.get(stream)?.entries ?? [];
      const after = afterId === null ? [-1, -1] : parseId(afterId);
      return entries
        .filter((entry) => compareIds(parseId(entry.id), after) > 0)
        .slice(0, count)
        .map((entry) => ({ id: entry.id, fields: { ...entry.fields } }));
    },
  };
}

export function createRedisEventStreams(redis: Redis, keyPrefix: string): EventStreams {
  const name = (stream: string) => `${keyPrefix}stream:${stream}`;
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
      return entries.map(([id, flat]) => {
        const fields: Record<string, string> = {};
        for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
        return { id, fields };
      });
    },
  };
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

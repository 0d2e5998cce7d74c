import { ParamError, readBool, readChoice, readCount, readRawList, rawId, rawNumber } from './params.js';

/**
 * Carrot quest's two pagination schemes (providers.md 1.3). v2 is keyset over a
 * position: `[last_update, id]` for conversations, `[id]` for parts. v1 is a bare
 * `after` value (a float `last_update`, or a part id) read newest first. Both are
 * served by one keyset walk over `Key`s; parts use `t = 0`.
 */

export interface Key {
  t: number;
  id: bigint;
}

export const compareKeys = (a: Key, b: Key): number => (a.t !== b.t ? a.t - b.t : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const DIRECTIONS = ['before', 'after', 'around'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export interface V2Paging {
  /** Null: from the newest row (`before`) or the oldest (`after`). */
  position: Key | null;
  direction: Direction;
  including: boolean;
  order: 'asc' | 'desc';
  count: number;
}

export interface Page<T> {
  rows: T[];
  /** Present for `before` and `around`; null when nothing lies further that way. */
  nextBefore?: Key | null;
  /** Present for `after` and `around`. */
  nextAfter?: Key | null;
}

/** Reads the v2 parameters; `positionKind` says what a position holds. */
export function readV2Paging(params: URLSearchParams, positionKind: 'date' | 'primaryKey'): V2Paging {
  const raw = readRawList(params, 'paginate_position');
  let position: Key | null = null;
  if (raw) {
    const expected = positionKind === 'date' ? 2 : 1;
    if (raw.length !== expected) {
      throw new ParamError(`paginate_position: must be ${positionKind === 'date' ? '[timestamp, id]' : '[id]'}`);
    }
    position =
      positionKind === 'date'
        ? { t: rawNumber(raw[0], 'paginate_position'), id: rawId(raw[1], 'paginate_position') }
        : { t: 0, id: rawId(raw[0], 'paginate_position') };
  }
  const direction = readChoice(params, 'paginate_direction', DIRECTIONS, 'before');
  // "around" spreads the page on both sides of a position, so it needs one.
  if (direction === 'around' && !position) throw new ParamError('paginate_position: required with paginate_direction=around');
  return {
    position,
    direction,
    including: readBool(params, 'paginate_including') ?? false,
    order: readChoice(params, 'paginate_page_order', ['asc', 'desc'] as const, 'desc'),
    count: readCount(params, 'paginate_count', 20),
  };
}

/** Reads v1's `after`/`count`. A conversation cursor is a float, a part cursor an id. */
export function readV1Paging(params: URLSearchParams, cursorKind: 'timestamp' | 'primaryKey'): { after: Key | null; count: number } {
  const count = readCount(params, 'count', 20);
  const value = params.get('after');
  if (value === null) return { after: null, count };
  const element = { kind: 'number' as const, text: value.trim() };
  // "Rows after the cursor" newest first are the rows whose key is below it; for a bare
  // timestamp that means every row with a smaller `last_update` (id -1 sorts below all).
  const after = cursorKind === 'timestamp' ? { t: rawNumber(element, 'after'), id: -1n } : { t: 0, id: rawId(element, 'after') };
  return { after, count };
}

/** One v2 page out of `rowsAsc` (ascending by key). */
export function pageV2<T>(rowsAsc: T[], keyOf: (row: T) => Key, paging: V2Paging): Page<T> {
  const { position, direction, including, count } = paging;
  const cmp = (row: T) => (position ? compareKeys(keyOf(row), position) : 0);
  const below = position ? rowsAsc.filter((row) => cmp(row) < 0) : rowsAsc;
  const above = position ? rowsAsc.filter((row) => cmp(row) > 0) : rowsAsc;
  const at = position && including ? rowsAsc.filter((row) => cmp(row) === 0) : [];

  let taken: T[];
  let moreBelow = false;
  let moreAbove = false;
  if (direction === 'before') {
    const candidates = [...below, ...at];
    taken = candidates.slice(Math.max(0, candidates.length - count));
    moreBelow = candidates.length > count;
  } else if (direction === 'after') {
    const candidates = [...at, ...above];
    taken = candidates.slice(0, count);
    moreAbove = candidates.length > count;
  } else {
    // "About paginate_count/2 on each side" of the position (providers.md 1.3); a side
    // that runs short leaves its room to the other.
    const room = count - at.length;
    let belowCount = Math.min(below.length, Math.floor(room / 2));
    const aboveCount = Math.min(above.length, room - belowCount);
    belowCount = Math.min(below.length, room - aboveCount);
    taken = [...below.slice(below.length - belowCount), ...at, ...above.slice(0, aboveCount)];
    moreBelow = below.length > belowCount;
    moreAbove = above.length > aboveCount;
  }

  const first = taken[0];
  const last = taken[taken.length - 1];
  const page: Page<T> = { rows: paging.order === 'asc' ? taken : [...taken].reverse() };
  // The next cursor is the page's edge row (or the position itself when nothing was taken).
  if (direction !== 'after') page.nextBefore = moreBelow ? (first !== undefined ? keyOf(first) : position) : null;
  if (direction !== 'before') page.nextAfter = moreAbove ? (last !== undefined ? keyOf(last) : position) : null;
  return page;
}

/** One v1 page: newest first, strictly below `after`, with the last row's key as `next_after`. */
export function pageV1<T>(rowsAsc: T[], keyOf: (row: T) => Key, paging: { after: Key | null; count: number }): { rows: T[]; nextAfter: Key | null } {
  const page = pageV2(rowsAsc, keyOf, { position: paging.after, direction: 'before', including: false, order: 'desc', count: paging.count });
  return { rows: page.rows, nextAfter: page.nextBefore ?? null };
}

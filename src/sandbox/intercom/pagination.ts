import type { IntercomReadings } from './readings.js';
import { compareConversations, type ConversationRecord } from './records.js';
import { QueryError } from './search.js';

/**
 * Cursor pages (docs/providers/intercom.md section 5): `per_page` up to 150 (default 20),
 * `starting_after` from the previous answer's `pages.next`. The cursor is base64 JSON, as
 * Intercom's `Wz...` cursors appear to be: under the `keyset` reading it holds the last
 * row's `[updated_at, id]`, under `offset` the number of rows already served.
 */

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 150;

export interface Paging {
  perPage: number;
  startingAfter: string | null;
}

export interface Page {
  rows: ConversationRecord[];
  /** The `starting_after` of the next page, or null on the last one. */
  next: string | null;
  page: number;
  perPage: number;
  totalPages: number;
}

export function readPaging(perPage: unknown, startingAfter: unknown): Paging {
  const size = perPage === undefined || perPage === null || perPage === '' ? DEFAULT_PER_PAGE : Number(perPage);
  if (!Number.isInteger(size) || size < 1) throw new QueryError('per_page must be a positive integer');
  if (size > MAX_PER_PAGE) throw new QueryError(`per_page must be ${MAX_PER_PAGE} or less`);
  if (startingAfter !== undefined && startingAfter !== null && typeof startingAfter !== 'string') throw new QueryError('starting_after must be a string');
  return { perPage: size, startingAfter: startingAfter || null };
}

/** One page of `rows` (already in list order) after the cursor. */
export function pageOf(rows: readonly ConversationRecord[], paging: Paging, readings: IntercomReadings): Page {
  const start = paging.startingAfter === null ? 0 : startIndex(rows, decode(paging.startingAfter));
  const slice = rows.slice(start, start + paging.perPage);
  const end = start + slice.length;
  const last = slice[slice.length - 1];
  const next = end < rows.length && last ? encode(readings.cursor === 'keyset' ? [last.updated_at, last.id] : [end]) : null;
  return {
    rows: slice,
    next,
    page: Math.floor(start / paging.perPage) + 1,
    perPage: paging.perPage,
    totalPages: Math.max(1, Math.ceil(rows.length / paging.perPage)),
  };
}

function startIndex(rows: readonly ConversationRecord[], position: unknown[]): number {
  if (position.length === 1 && typeof position[0] === 'number') return position[0];
  const [updatedAt, id] = position;
  if (typeof updatedAt !== 'number' || typeof id !== 'string') throw new QueryError('starting_after is not a cursor of this search');
  // The first row after the position in list order, whether or not the named row still sits there.
  const probe = { updated_at: updatedAt, id } as ConversationRecord;
  const index = rows.findIndex((row) => compareConversations(probe, row) < 0);
  return index === -1 ? rows.length : index;
}

function encode(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64');
}

function decode(cursor: string): unknown[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
    if (Array.isArray(value) && (value.length === 1 || value.length === 2)) return value;
  } catch {
    // Falls through to the refusal below.
  }
  throw new QueryError('starting_after is not a valid cursor');
}

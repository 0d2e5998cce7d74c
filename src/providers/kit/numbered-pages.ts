import type { RowsCap } from '../../http/payload.js';
import type { DroppedRow } from '../../http/payload-rows.js';
import type { OrderKey } from '../../pagination/order.js';
import { NumberedPageWalk, type WalkPosition } from '../../pagination/page-walk.js';
import type { Continuation, ListRequest, ResumeHint } from '../adapter.js';

/**
 * The list walk of every provider that paginates by page number (Chatwoot, Re:amaze):
 * each call reads exactly one upstream page, so the planner's page budget counts
 * upstream list calls, and answers the rows that page settled (pagination/page-walk.ts).
 * An adapter supplies how to read page N and how to key a row.
 */

/**
 * A source's resume hint: `[page, micros, nativeId]` after the last row of its key, or
 * `[page, micros, nativeId, 1]` when rows with the same key may follow it.
 */
export type NumberedHint = readonly [page: number, micros: number, nativeId: string] | readonly [page: number, micros: number, nativeId: string, groupOpen: 1];

export function isNumberedHint(hint: unknown, isNativeId: (id: string) => boolean): hint is NumberedHint & ResumeHint {
  return (
    Array.isArray(hint) &&
    (hint.length === 3 || (hint.length === 4 && hint[3] === 1)) &&
    Number.isSafeInteger(hint[0]) &&
    hint[0] >= 1 &&
    Number.isSafeInteger(hint[1]) &&
    hint[1] >= 0 &&
    typeof hint[2] === 'string' &&
    isNativeId(hint[2])
  );
}

export interface NumberedPage<Row> {
  /** The page's rows in provider order. */
  rows: readonly Row[];
  /** True when the provider says (or the page size shows) that no later page exists. */
  isLast: boolean;
}

export interface NumberedListOptions<Row> {
  request: Pick<ListRequest, 'hint' | 'continuation'>;
  /** Checks a hint's native id (hints come from signed cursors, but of any adapter version). */
  isNativeId: (id: string) => boolean;
  keyOf: (row: Row) => OrderKey;
  /** Reads page N; `firstRead` is false when this request read that page before (a re-read boundary). */
  fetchPage: (page: number, firstRead: boolean) => Promise<NumberedPage<Row>>;
  /**
   * Earlier pages one resume may re-read when rows shifted up between requests.
   * @default 3
   */
  maxStepsBack?: number;
}

export interface NumberedListPage<Row> {
  rows: Array<{ row: Row; hint: NumberedHint & ResumeHint }>;
  next: Continuation | null;
}

/**
 * The rows cap of a page request (`UpstreamRequest.rows`): the rows array at `path`, cut
 * one row past a page, so that a provider sending more (a hostile answer, or a server
 * configured with larger pages) is seen by `keepOnePage` rather than silently cut to a page.
 */
export function pageRowCap(path: string, pageSize: number): RowsCap {
  return { path, max: pageSize + 1 };
}

/**
 * The rows of one page, at most `pageSize`. Rows past it cannot be placed in the walk
 * (the next page number starts after the provider's own page), so they are left out and
 * reported (the source becomes PARTIAL), never skipped in silence. `at` is the rows' path.
 */
export function keepOnePage<T>(rows: readonly T[], pageSize: number, at: string): { rows: readonly T[]; overflow: DroppedRow[] } {
  if (rows.length <= pageSize) return { rows, overflow: [] };
  return {
    rows: rows.slice(0, pageSize),
    overflow: [{ path: `${at}[${pageSize}]`, problem: `the page holds more than the ${pageSize} rows a page has; the rows past them are left out` }],
  };
}

/** Reads the one page the walk needs next and answers the rows it settled. */
export async function readNumberedPage<Row>(options: NumberedListOptions<Row>): Promise<NumberedListPage<Row>> {
  const { request } = options;
  const walk = request.continuation === null ? startWalk(options) : asWalk<Row>(request.continuation);
  const page = walk.nextPage();
  if (page === null) return { rows: [], next: null };
  const fetched = await options.fetchPage(page, !walk.hasRead(page));
  const settled = walk.take(page, fetched.rows, fetched.isLast);
  return {
    rows: settled.map(({ row, position }) => ({ row, hint: toHint(position) })),
    next: walk.nextPage() === null ? null : walk,
  };
}

function startWalk<Row>(options: NumberedListOptions<Row>): NumberedPageWalk<Row> {
  const { hint } = options.request;
  const position: WalkPosition | null = isNumberedHint(hint, options.isNativeId)
    ? { page: hint[0], micros: hint[1], nativeId: hint[2], groupOpen: hint.length === 4 }
    : null;
  return new NumberedPageWalk({
    position,
    keyOf: options.keyOf,
    ...(options.maxStepsBack === undefined ? {} : { maxStepsBack: options.maxStepsBack }),
  });
}

function toHint(position: WalkPosition): NumberedHint & ResumeHint {
  const { page, micros, nativeId, groupOpen } = position;
  return groupOpen ? [page, micros, nativeId, 1] : [page, micros, nativeId];
}

function asWalk<Row>(continuation: Continuation): NumberedPageWalk<Row> {
  if (continuation instanceof NumberedPageWalk) return continuation as NumberedPageWalk<Row>;
  throw new TypeError('a page-number list continuation is the one the previous page returned');
}

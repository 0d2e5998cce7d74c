import { isAfter, type OrderKey } from './order.js';

/**
 * Resuming a provider that paginates by page number (Chatwoot, Re:amaze) under a volatile
 * sort. Between two client requests, conversations are created or updated (rows shift
 * down: repeats, which the merge drops because they are at or before the last edge)
 * or leave the filtered set (rows shift up: rows not read yet now sit on an earlier
 * page). The hint a cursor stores for such a source is the page AND the key of the last
 * row consumed there; this walks back from that page while the page starts after that
 * row, so nothing unchanged is skipped, and costs one call when nothing moved.
 */

export interface NumberedPage<Row> {
  rows: Row[];
  /** True when the provider says (or the page size shows) that no later page exists. */
  isLast: boolean;
}

export interface PageWalkOptions<Row> {
  /** The page the cursor says holds the next unread row; 1 when the source has no hint. */
  startPage: number;
  /** The key of the last row of this source already consumed (from the hint), or null. */
  boundary: OrderKey | null;
  keyOf: (row: Row) => OrderKey;
  fetchPage: (page: number) => Promise<NumberedPage<Row>>;
  /**
   * How many earlier pages one resume may re-read.
   * @default 3
   */
  maxStepsBack?: number;
}

export interface WalkedRows<Row> {
  /** Rows in provider order, each with the page it was read from. */
  rows: Array<{ row: Row; page: number }>;
  /** The next page to read, or null when the last page was reached. */
  nextPage: number | null;
}

export async function resumeNumberedPages<Row>(options: PageWalkOptions<Row>): Promise<WalkedRows<Row>> {
  const { boundary, keyOf, fetchPage } = options;
  const startPage = Math.max(1, Math.floor(options.startPage));
  const maxStepsBack = options.maxStepsBack ?? 3;

  let page = startPage;
  let current = await fetchPage(page);
  let rows = current.rows.map((row) => ({ row, page }));
  const lastPageFetched = startPage;
  const isLast = current.isLast;

  while (boundary !== null && page > 1 && startPage - page < maxStepsBack && startsAfter(rows, boundary, keyOf)) {
    page -= 1;
    current = await fetchPage(page);
    const earlier = current.rows.map((row) => ({ row, page }));
    rows = [...earlier, ...rows];
  }

  return { rows, nextPage: isLast ? null : lastPageFetched + 1 };
}

/** True when the page's first row comes after the boundary (or the page is empty): earlier rows may be unread. */
function startsAfter<Row>(rows: Array<{ row: Row }>, boundary: OrderKey, keyOf: (row: Row) => OrderKey): boolean {
  const first = rows[0];
  return !first || isAfter(keyOf(first.row), boundary);
}

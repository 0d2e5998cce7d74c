import type { OrderKey } from './order.js';

/**
 * Resuming a provider that paginates by page number (Chatwoot, Re:amaze) under a volatile
 * sort. Between two client requests, conversations are created or updated (rows shift
 * down: repeats, which the planner drops because they are at or before the last edge)
 * or leave the filtered set (rows shift up: the rows that would be skipped now sit on an
 * earlier page). This walks back from the stored page while its first row is not
 * already-seen, so nothing unchanged is skipped. Equal timestamps, which such providers
 * do not order, also make it look one page back.
 */

export interface NumberedPage<Row> {
  rows: Row[];
  /** True when the provider says (or the page size shows) that no later page exists. */
  isLast: boolean;
}

export interface PageWalkOptions<Row> {
  /** The page the cursor says holds the next unread row; 1 when the source has no hint. */
  startPage: number;
  /** The last edge the client has seen, or null on the first page. */
  after: OrderKey | null;
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
  const { after, keyOf, fetchPage } = options;
  const startPage = Math.max(1, Math.floor(options.startPage));
  const maxStepsBack = options.maxStepsBack ?? 3;

  let page = startPage;
  let current = await fetchPage(page);
  let rows = current.rows.map((row) => ({ row, page }));
  const lastPageFetched = startPage;
  const isLast = current.isLast;

  while (after !== null && page > 1 && startPage - page < maxStepsBack && mayHideUnreadRowsBefore(rows, after, keyOf)) {
    page -= 1;
    current = await fetchPage(page);
    const earlier = current.rows.map((row) => ({ row, page }));
    rows = [...earlier, ...rows];
  }

  return { rows, nextPage: isLast ? null : lastPageFetched + 1 };
}

/**
 * The previous page may hold unread rows when this page starts after the last seen edge
 * (rows shifted up), starts on its timestamp (unordered ties), or is empty.
 */
function mayHideUnreadRowsBefore<Row>(
  rows: Array<{ row: Row }>,
  after: OrderKey,
  keyOf: (row: Row) => OrderKey,
): boolean {
  const first = rows[0];
  if (!first) return true;
  return keyOf(first.row).micros <= after.micros;
}

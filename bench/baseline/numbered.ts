import type { Hint, Row } from './merge.js';
import { compareKeys, isAfter, type OrderKey } from './shape.js';

/**
 * Page-number providers (Chatwoot, Re:amaze), read as Parley reads them: resume on the
 * page the hint names, step back (at most 3 pages) while that page starts after the last
 * row consumed, and name in each row's hint the earliest page read that still holds a
 * row sorting after it (providers leave equal timestamps unordered).
 */
export interface NumberedSource {
  sourceId: string;
  fetchPage(page: number): Promise<{ rows: Array<Omit<Row, 'hint'>>; isLast: boolean }>;
  /** Whether the hint names the earliest such page (Chatwoot) or the row's own page (Re:amaze). */
  ledger: boolean;
}

export function numberedFeed(source: NumberedSource, resume: Hint | null) {
  const lastByPage = new Map<number, OrderKey>();
  const withHints = (rows: Array<{ row: Omit<Row, 'hint'>; page: number }>): Row[] => {
    for (const { row, page } of rows) {
      const last = lastByPage.get(page);
      if (last === undefined || compareKeys(row.key, last) > 0) lastByPage.set(page, row.key);
    }
    return rows.map(({ row, page }) => {
      let start = page;
      if (source.ledger) for (const [earlier, last] of lastByPage) if (earlier < start && isAfter(last, row.key)) start = earlier;
      return { ...row, hint: [start, row.key.micros, row.key.nativeId] };
    });
  };

  return async (continuation: unknown): Promise<{ rows: Row[]; next: unknown }> => {
    if (continuation !== null) {
      const page = continuation as number;
      const fetched = await source.fetchPage(page);
      return { rows: withHints(fetched.rows.map((row) => ({ row, page }))), next: fetched.isLast ? null : page + 1 };
    }
    const startPage = resume ? Number(resume[0]) : 1;
    const boundary: OrderKey | null = resume ? { micros: Number(resume[1]), sourceId: source.sourceId, nativeId: String(resume[2]) } : null;
    let page = startPage;
    const first = await source.fetchPage(page);
    let rows = first.rows.map((row) => ({ row, page }));
    while (boundary && page > 1 && startPage - page < 3 && (!rows[0] || isAfter(rows[0].row.key, boundary))) {
      page -= 1;
      const earlier = await source.fetchPage(page);
      rows = [...earlier.rows.map((row) => ({ row, page })), ...rows];
    }
    return { rows: withHints(rows), next: first.isLast ? null : startPage + 1 };
  };
}

import type { ResumeHint } from '../adapter.js';
import { compareOrderKeys, isAfter, type OrderKey } from '../../pagination/order.js';

/** Where a cursor resumes a Chatwoot source: a list page, and the key of the last row consumed. */
export type ChatwootHint = readonly [page: number, micros: number, displayId: string];

export function isChatwootHint(hint: unknown): hint is ChatwootHint & ResumeHint {
  return (
    Array.isArray(hint) &&
    hint.length === 3 &&
    Number.isSafeInteger(hint[0]) &&
    hint[0] >= 1 &&
    Number.isSafeInteger(hint[1]) &&
    hint[1] >= 0 &&
    typeof hint[2] === 'string' &&
    /^\d+$/.test(hint[2])
  );
}

/**
 * The pages read in one request, each with the row that sorts last on it. Chatwoot leaves
 * equal timestamps unordered (and rows may shift while a request pages on), so a row read
 * on an earlier page can sort after a row read later: a row's hint names the earliest page
 * that still holds a row sorting after it, or resuming from the hint would skip that row.
 */
export class PageLedger {
  private readonly lastKeyByPage = new Map<number, OrderKey>();

  record(page: number, key: OrderKey): void {
    const last = this.lastKeyByPage.get(page);
    if (last === undefined || compareOrderKeys(key, last) > 0) this.lastKeyByPage.set(page, key);
  }

  hintFor(page: number, key: OrderKey): ChatwootHint {
    let start = page;
    for (const [earlier, last] of this.lastKeyByPage) if (earlier < start && isAfter(last, key)) start = earlier;
    return [start, key.micros, key.nativeId];
  }
}

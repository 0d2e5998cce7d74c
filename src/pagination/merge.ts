import type { ResumeHint } from '../providers/adapter.js';
import type { CursorState, SourceResume } from './cursor.js';
import { compareOrderKeys, isAfter, type OrderKey } from './order.js';

/**
 * The k-way merge behind the `conversations` connection. Each source is a feed of rows in
 * its provider's order; the merge emits rows in the one total order, and only once it is
 * sure no unseen row of any source can come before them. That is what keeps pages
 * ordered and free of repeats and skips, including when a provider leaves equal
 * timestamps unordered (a row on a timestamp is held back until the source has shown a
 * row below that timestamp or ended).
 */

export interface FeedRow<T> {
  key: OrderKey;
  item: T;
  /** Resumes the feed just after this row. */
  hint: ResumeHint;
}

export interface FeedPage<T> {
  rows: FeedRow<T>[];
  /** Continuation for the next upstream page; null when the feed has no more rows. */
  next: unknown;
}

export interface Feed<T> {
  sourceId: string;
  /** Where the cursor says to resume; `false` means the feed had already ended. */
  resume: SourceResume;
  fetch(continuation: unknown, want: number): Promise<FeedPage<T>>;
  /** The checks Parley applies itself (LOCAL filter parts). */
  accepts(item: T): boolean;
  /** Rows below this last-activity time can never match: stop reading there. */
  floorMicros?: number;
}

export interface MergeOptions {
  first: number;
  after: OrderKey | null;
  /** Upstream pages one source may read for one request. */
  maxPagesPerSource: number;
}

export type FeedOutcome = 'OK' | 'PARTIAL' | 'FAILED';

export interface FeedReport {
  outcome: FeedOutcome;
  pages: number;
  error?: unknown;
}

export interface MergedEdge<T> {
  key: OrderKey;
  item: T;
  /** The cursor state that resumes right after this edge. */
  state: CursorState;
}

export interface MergeResult<T> {
  edges: MergedEdge<T>[];
  hasNextPage: boolean;
  /** Resumes after the last edge (or where the scan stopped when no edge came). */
  endState: CursorState;
  feeds: Map<string, FeedReport>;
}

/** A row as read, in provider order; the cursor may resume after the longest consumed prefix. */
interface ReadRow {
  hint: ResumeHint;
  consumed: boolean;
}

interface Buffered<T> {
  row: FeedRow<T>;
  read: ReadRow;
}

class FeedState<T> {
  buffer: Buffered<T>[] = [];
  seen = new Set<string>();
  /** Lowest last-activity time read so far; unseen rows cannot be above it. */
  lowestMicros = Number.POSITIVE_INFINITY;
  continuation: unknown = null;
  exhausted: boolean;
  failed = false;
  error: unknown;
  pages = 0;
  /** Where a cursor resumes this feed: after the longest run of consumed rows in provider order. */
  hint: ResumeHint | null;
  private readRows: ReadRow[] = [];
  private consumedPrefix = 0;

  constructor(readonly feed: Feed<T>) {
    this.exhausted = feed.resume === false;
    this.hint = feed.resume === false ? null : feed.resume;
  }

  get active(): boolean {
    return !this.failed && !this.exhausted;
  }

  get resume(): SourceResume {
    if (this.exhausted && this.buffer.length === 0 && !this.failed) return false;
    return this.hint;
  }

  /** True when no unseen row of this feed can come before `key`. */
  cannotPrecede(key: OrderKey): boolean {
    return this.failed || this.exhausted || this.lowestMicros < key.micros;
  }

  take(after: OrderKey | null, page: FeedPage<T>): void {
    this.pages += 1;
    this.continuation = page.next;
    if (page.next === null) this.exhausted = true;
    for (const row of page.rows) {
      this.lowestMicros = Math.min(this.lowestMicros, row.key.micros);
      const fresh = !this.seen.has(row.key.nativeId);
      this.seen.add(row.key.nativeId);
      const read: ReadRow = { hint: row.hint, consumed: false };
      this.readRows.push(read);
      if (fresh && isAfter(row.key, after) && this.feed.accepts(row.item)) {
        this.buffer.push({ row, read });
      } else {
        // A row the client has seen, a repeat from a shifted page, or a non-match.
        this.consume(read);
      }
    }
    if (this.feed.floorMicros !== undefined && this.lowestMicros < this.feed.floorMicros) {
      this.exhausted = true;
      this.buffer = this.buffer.filter((b) => b.row.key.micros >= this.feed.floorMicros!);
    }
    this.buffer.sort((a, b) => compareOrderKeys(a.row.key, b.row.key));
  }

  /**
   * Marks a row done. The merge may emit rows out of provider order (equal timestamps),
   * so the resume hint only moves past rows whose predecessors are all done too.
   */
  consume(read: ReadRow): void {
    read.consumed = true;
    while (this.consumedPrefix < this.readRows.length && this.readRows[this.consumedPrefix]!.consumed) {
      this.hint = this.readRows[this.consumedPrefix]!.hint;
      this.consumedPrefix += 1;
    }
  }
}

export async function mergeFeeds<T>(feeds: Feed<T>[], options: MergeOptions): Promise<MergeResult<T>> {
  const states = feeds.map((feed) => new FeedState(feed));
  const edges: MergedEdge<T>[] = [];
  let stalled = false;

  const snapshot = (after: OrderKey | null): CursorState => ({
    after,
    sources: Object.fromEntries(states.map((s) => [s.feed.sourceId, s.resume])),
  });

  const fetchMore = async (wanted: FeedState<T>[], want: number) => {
    await Promise.all(
      wanted.map(async (state) => {
        try {
          const page = await state.feed.fetch(state.pages === 0 ? null : state.continuation, want);
          state.take(options.after, page);
        } catch (error) {
          state.failed = true;
          state.error = error;
          state.buffer = [];
        }
      }),
    );
  };

  // Read one page of every live feed at once: the common case needs nothing more.
  await fetchMore(states.filter((s) => s.active), options.first + 1);

  while (edges.length < options.first) {
    const head = bestHead(states);
    const blockers = states.filter((s) => s.active && (head === undefined || !s.cannotPrecede(head.row.key)));
    if (blockers.length > 0) {
      const withinBudget = blockers.filter((s) => s.pages < options.maxPagesPerSource);
      if (withinBudget.length < blockers.length) {
        stalled = true;
        break;
      }
      await fetchMore(withinBudget, options.first - edges.length + 1);
      continue;
    }
    if (!head) break;
    const owner = states.find((s) => s.buffer[0] === head)!;
    owner.buffer.shift();
    owner.consume(head.read);
    edges.push({ key: head.row.key, item: head.row.item, state: snapshot(head.row.key) });
  }

  const lastKey = edges.length > 0 ? edges[edges.length - 1]!.key : options.after;
  const hasNextPage = stalled || states.some((s) => !s.failed && (s.buffer.length > 0 || !s.exhausted));
  const feedReports = new Map<string, FeedReport>(
    states.map((s) => [
      s.feed.sourceId,
      {
        outcome: s.failed ? 'FAILED' : stalled && s.active && s.pages >= options.maxPagesPerSource ? 'PARTIAL' : 'OK',
        pages: s.pages,
        ...(s.failed ? { error: s.error } : {}),
      },
    ]),
  );
  return { edges, hasNextPage, endState: snapshot(lastKey), feeds: feedReports };
}

function bestHead<T>(states: FeedState<T>[]): Buffered<T> | undefined {
  let best: Buffered<T> | undefined;
  for (const state of states) {
    const head = state.buffer[0];
    if (head && (!best || compareOrderKeys(head.row.key, best.row.key) < 0)) best = head;
  }
  return best;
}

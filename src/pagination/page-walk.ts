import { compareOrderKeys, isAfter, type OrderKey } from './order.js';

/**
 * The walk over a provider that paginates by page number (Chatwoot, Re:amaze) under a
 * sort that leaves equal last-activity times unordered. Pure: it says which page to
 * read next and, given each page as read, which rows are settled. Settled rows come out
 * in one deterministic order per source (key descending, native id descending), so a
 * position in that order is just the last row's key.
 *
 * Two things move under such a sort:
 * - Rows with equal keys (a tie group) come back in a fresh order on every request, so
 *   when a page boundary falls inside a group, each read of either page shows a random
 *   part of it. The group's size is the number of its rows on each page it covers, once
 *   a higher row before it and a lower row after it were seen; its rows are settled only
 *   when that many distinct ones were seen, re-reading its pages if needed.
 * - Between two client requests rows are created or updated (rows shift down: repeats,
 *   which sort at or before the resume position and are skipped) or leave the filtered
 *   set (rows shift up: unread rows now sit on an earlier page). A resume starts at the
 *   page that held the row before the position's group and walks back while the first
 *   page read does not start above that group.
 */

/**
 * Where a walk resumes: the page to read first and the key of the last row consumed.
 * `groupOpen` when rows with the same key may follow it (the walk must see its whole
 * group again); otherwise every row of its key was consumed and the walk goes on below.
 */
export interface WalkPosition {
  page: number;
  micros: number;
  nativeId: string;
  groupOpen: boolean;
}

export interface PageWalkOptions<Row> {
  /** Null to start at page 1. */
  position: WalkPosition | null;
  keyOf: (row: Row) => OrderKey;
  /**
   * Earlier pages one resume may read to find where its position's group starts. Past
   * it the walk carries on from what it read (rows moved by more than this are missed).
   * @default 3
   */
  maxStepsBack?: number;
}

export interface SettledRow<Row> {
  row: Row;
  /** Where a later walk resumes to read the rows after this one. */
  position: WalkPosition;
}

interface ReadPage {
  keys: OrderKey[];
}

/** Rows at keys above `micros` are done; at `micros`, those up to `nativeId` when `inclusive`, else all. */
interface Floor {
  micros: number;
  nativeId: string;
  inclusive: boolean;
}

export class NumberedPageWalk<Row> {
  private readonly pages = new Map<number, ReadPage>();
  /** Every distinct row seen at each key, over all reads of this walk. */
  private readonly members = new Map<number, Map<string, { row: Row; key: OrderKey }>>();
  private lo = 0;
  private hi = 0;
  private lastPage: number | null = null;
  private floor: Floor | null;
  private readonly startPage: number;
  private readonly maxStepsBack: number;
  private readonly keyOf: (row: Row) => OrderKey;

  constructor(options: PageWalkOptions<Row>) {
    const { position } = options;
    this.keyOf = options.keyOf;
    this.startPage = position === null ? 1 : Math.max(1, Math.floor(position.page));
    this.maxStepsBack = options.maxStepsBack ?? 3;
    this.floor = position === null ? null : { micros: position.micros, nativeId: position.nativeId, inclusive: position.groupOpen };
  }

  /** The page to read next, or null when every row was settled. */
  nextPage(): number | null {
    return this.plan().need;
  }

  hasRead(page: number): boolean {
    return this.pages.has(page);
  }

  /** Takes one read of `page` (rows in provider order); answers the rows it settled, in order. */
  take(page: number, rows: readonly Row[], isLast: boolean): Array<SettledRow<Row>> {
    const keys = rows.map((row) => this.keyOf(row));
    if (this.pages.size === 0) this.lo = this.hi = page;
    this.pages.set(page, { keys });
    this.lo = Math.min(this.lo, page);
    this.hi = Math.max(this.hi, page);
    if (isLast) this.lastPage = page;
    else if (this.lastPage === page) this.lastPage = null;
    rows.forEach((row, i) => {
      const key = keys[i]!;
      let group = this.members.get(key.micros);
      if (!group) this.members.set(key.micros, (group = new Map()));
      group.set(key.nativeId, { row, key });
    });
    return this.plan().settled;
  }

  /** Settles every group it can, in order; stops at the first one that needs a page read. */
  private plan(): { settled: Array<SettledRow<Row>>; need: number | null } {
    const settled: Array<SettledRow<Row>> = [];
    if (this.pages.size === 0) return { settled, need: this.startPage };
    const canStepBack = this.lo > 1 && this.startPage - this.lo < this.maxStepsBack;
    // Rows shifted up (or the position's group starts earlier): unread rows may sit before the first page read.
    if (this.floor !== null && canStepBack && !this.startsAbove(this.lo, this.floor)) return { settled, need: this.lo - 1 };
    for (;;) {
      const micros = this.nextKey();
      if (micros === null) return { settled, need: this.lastPage !== null && this.hi >= this.lastPage ? null : this.hi + 1 };
      const covering = [...this.pages.keys()].filter((p) => this.count(p, micros) > 0).sort((a, b) => a - b);
      const start = covering[0]!;
      const end = covering[covering.length - 1]!;
      const startKnown = start === 1 || start > this.lo || this.hasAbove(start, micros);
      if (!startKnown && canStepBack) return { settled, need: start - 1 };
      const endKnown = end < this.hi || end === this.lastPage || this.hasBelow(end, micros);
      if (!endKnown) return { settled, need: end + 1 };

      let size = 0;
      let fullest = start;
      for (let p = start; p <= end; p++) {
        size += this.count(p, micros);
        if (this.count(p, micros) > this.count(fullest, micros)) fullest = p;
      }
      const group = this.members.get(micros)!;
      // Rows of the group are still unseen: the page holding most of it shows most of them.
      if (group.size < size) return { settled, need: fullest };

      const floor = this.floor;
      const rows = [...group.values()]
        .filter(({ key }) => !(floor?.inclusive && floor.micros === micros) || isAfter(key, { ...floor, sourceId: key.sourceId }))
        .sort((a, b) => compareOrderKeys(a.key, b.key));
      // A row followed by more of its group resumes where the group starts; the last one, where it ends.
      const groupStart = start === 1 || this.hasAbove(start, micros) ? start : start - 1;
      rows.forEach(({ row, key }, i) => {
        const groupOpen = i < rows.length - 1;
        settled.push({ row, position: { page: groupOpen ? groupStart : end, micros, nativeId: key.nativeId, groupOpen } });
      });
      this.floor = { micros, nativeId: '', inclusive: false };
    }
  }

  /** The highest key read that is not settled yet, or null. */
  private nextKey(): number | null {
    const floor = this.floor;
    let best: number | null = null;
    for (const { keys } of this.pages.values()) {
      for (const { micros } of keys) {
        const open = floor === null || micros < floor.micros || (floor.inclusive && micros === floor.micros);
        if (open && (best === null || micros > best)) best = micros;
      }
    }
    return best;
  }

  private count(page: number, micros: number): number {
    return this.pages.get(page)?.keys.filter((k) => k.micros === micros).length ?? 0;
  }

  private hasAbove(page: number, micros: number): boolean {
    return this.pages.get(page)!.keys.some((k) => k.micros > micros);
  }

  private hasBelow(page: number, micros: number): boolean {
    return this.pages.get(page)!.keys.some((k) => k.micros < micros);
  }

  /** True when no unsettled row can precede the page: its first row is above the floor's group (or in it, once that group is done). */
  private startsAbove(page: number, floor: Floor): boolean {
    const first = this.pages.get(page)?.keys[0];
    if (first === undefined) return false;
    return floor.inclusive ? first.micros > floor.micros : first.micros >= floor.micros;
  }
}

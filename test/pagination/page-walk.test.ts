import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumberedPageWalk, type SettledRow, type WalkPosition } from '../../src/pagination/page-walk.js';

interface Row {
  micros: number;
  id: number;
}

const keyOf = (row: Row) => ({ micros: row.micros, sourceId: 'p', nativeId: String(row.id) });

/** mulberry32, so a failing case replays from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A page-number provider in miniature: rows by time descending, rows of one time in a
 * fresh random order on every read (an unstable sort), fixed-size pages.
 */
function provider(rows: Row[], pageSize: number, seed: number) {
  const random = prng(seed);
  let reads = 0;
  return {
    get reads() {
      return reads;
    },
    read(page: number): { rows: Row[]; isLast: boolean } {
      reads += 1;
      const times = [...new Set(rows.map((r) => r.micros))].sort((a, b) => b - a);
      const ordered = times.flatMap((t) => {
        const tied = rows.filter((r) => r.micros === t);
        for (let i = tied.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [tied[i], tied[j]] = [tied[j]!, tied[i]!];
        }
        return tied;
      });
      return { rows: ordered.slice((page - 1) * pageSize, page * pageSize), isLast: page * pageSize >= rows.length };
    },
  };
}

/**
 * Walks like a client paging through Parley: each request may read `budget` pages and
 * consumes at most `first` settled rows, then resumes from the last consumed row.
 */
/** Reads every page the walk asks for, in order, and collects what it settles. */
function drain(walk: NumberedPageWalk<Row>, source: ReturnType<typeof provider>) {
  const reads: number[] = [];
  const settledRows: SettledRow<Row>[] = [];
  for (let page = walk.nextPage(); page !== null; page = walk.nextPage()) {
    reads.push(page);
    const { rows, isLast } = source.read(page);
    settledRows.push(...walk.take(page, rows, isLast));
  }
  return { reads, settledRows, settled: settledRows.map((s) => s.row.id) };
}

function walkAll(source: ReturnType<typeof provider>, first: number, budget: number): { seen: Row[]; requests: number } {
  const seen: Row[] = [];
  let position: WalkPosition | null = null;
  for (let request = 1; request <= 2000; request++) {
    const walk: NumberedPageWalk<Row> = new NumberedPageWalk<Row>({ position, keyOf });
    let consumed = 0;
    for (let reads = 0; reads < budget && consumed < first; reads++) {
      const page = walk.nextPage();
      if (page === null) return { seen, requests: request };
      const { rows, isLast } = source.read(page);
      for (const settled of walk.take(page, rows, isLast)) {
        if (consumed === first) break;
        seen.push(settled.row);
        position = settled.position;
        consumed += 1;
      }
    }
    if (consumed < first && walk.nextPage() === null) return { seen, requests: request };
  }
  throw new Error('the walk did not end');
}

/** The expected order, written independently of the code under test: time descending, then id descending. */
const expectedOrder = (rows: Row[]) => [...rows].sort((a, b) => b.micros - a.micros || b.id - a.id);

const rowsArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 9999 })), { maxLength: 60 })
  .map((pairs) => [...new Map(pairs.map(([micros, id]) => [id, micros]))].map(([id, micros]) => ({ id, micros })));

describe('NumberedPageWalk', () => {
  it('settles every row exactly once in key order although each read reorders equal keys', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 12 }), fc.nat(), (rows, pageSize, first, seed) => {
        const source = provider(rows, pageSize, seed);
        // Enough reads per request to bound a group spanning the pages that hold up to 12 rows.
        const { seen } = walkAll(source, first, 12 + Math.ceil(12 / pageSize) * 4);
        expect(seen).toEqual(expectedOrder(rows));
      }),
      { numRuns: 400 },
    );
  });

  it('re-reads the pages of a tie group across a boundary until it has seen the whole group', () => {
    // Six rows share time 50: three end page 1, three open page 2.
    const rows = [
      ...[1, 2].map((id) => ({ id, micros: 90 - id })),
      ...[11, 12, 13, 14, 15, 16].map((id) => ({ id, micros: 50 })),
      ...[3, 4, 5, 6].map((id) => ({ id, micros: 40 - id })),
    ];
    const source = provider(rows, 5, 7);
    const walk = new NumberedPageWalk<Row>({ position: null, keyOf });
    const { reads, settled } = drain(walk, source);
    expect(settled).toEqual([1, 2, 16, 15, 14, 13, 12, 11, 3, 4, 5, 6]);
    // Page 1, page 2, then re-reads of the boundary pages, then page 3.
    expect(reads.slice(0, 2)).toEqual([1, 2]);
    expect(reads[reads.length - 1]).toBe(3);
    expect(reads.slice(2, -1).every((p) => p === 1 || p === 2)).toBe(true);
  });

  it('resumes inside a tie group: the rows after the position, none before it', () => {
    const rows = [{ id: 1, micros: 90 }, ...[11, 12, 13, 14].map((id) => ({ id, micros: 50 })), { id: 2, micros: 10 }];
    const source = provider(rows, 3, 3);
    // 14 and 13 were consumed; more rows of time 50 follow, the group starts on page 1.
    const walk = new NumberedPageWalk<Row>({ position: { page: 1, micros: 50, nativeId: '13', groupOpen: true }, keyOf });
    const { settledRows } = drain(walk, source);
    expect(settledRows.map((s) => `${s.row.id}:${s.position.groupOpen ? 'open' : 'closed'}`)).toEqual(['12:open', '11:closed', '2:closed']);
  });

  it('reads one page when nothing moved and the position closed its group', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, micros: 100 - i }));
    const source = provider(rows, 5, 1);
    const walk = new NumberedPageWalk<Row>({ position: { page: 2, micros: 94, nativeId: '7', groupOpen: false }, keyOf });
    expect(walk.nextPage()).toBe(2);
    const settled = walk.take(2, source.read(2).rows, true);
    expect(settled.map((s) => s.row.id)).toEqual([8, 9, 10]);
    expect(walk.nextPage()).toBeNull();
    expect(source.reads).toBe(1);
  });

  it('walks back from a page that no longer exists to the rows that moved up from it', () => {
    // 11 was consumed on page 3; ids 1-5 left the list, so 12 now sits on page 2 and page 3 is empty.
    const rows = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, micros: 100 - i })).slice(5);
    const source = provider(rows, 5, 1);
    const walk = new NumberedPageWalk<Row>({ position: { page: 3, micros: 90, nativeId: '11', groupOpen: false }, keyOf });
    const { reads, settled } = drain(walk, source);
    expect(reads).toEqual([3, 2]);
    expect(settled).toEqual([12]);
  });

  it('walks back when rows shifted up past the page the position names', () => {
    // Ids 1-3 left the list: page 2 now opens with 9, and 7 and 8 sit on page 1.
    const rows = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, micros: 100 - i })).slice(3);
    const source = provider(rows, 5, 1);
    const walk = new NumberedPageWalk<Row>({ position: { page: 2, micros: 95, nativeId: '6', groupOpen: false }, keyOf });
    const { reads, settled } = drain(walk, source);
    expect(reads).toEqual([2, 1]);
    expect(settled).toEqual([7, 8, 9, 10, 11, 12]);
  });
});

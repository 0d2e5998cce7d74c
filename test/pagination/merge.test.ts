import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeFeeds, type Feed } from '../../src/pagination/merge.js';
import type { OrderKey } from '../../src/pagination/order.js';
import type { CursorState } from '../../src/pagination/cursor.js';

interface Row {
  key: OrderKey;
}

/**
 * A provider in miniature: rows by last activity descending, equal timestamps in an
 * arbitrary (given) order, pages of a fixed size, resumable from a row index.
 */
function feedOf(sourceId: string, rows: Row[], pageSize: number, resume: CursorState['sources'][string], accept = (_: Row) => true): Feed<Row> & { calls: number } {
  const feed = {
    sourceId,
    resume,
    calls: 0,
    accepts: accept,
    async fetch(continuation: unknown) {
      feed.calls += 1;
      const start = continuation === null ? (typeof resume === 'number' ? resume + 1 : 0) : (continuation as number);
      const page = rows.slice(start, start + pageSize);
      const end = start + page.length;
      return {
        rows: page.map((row, i) => ({ key: row.key, item: row, hint: start + i })),
        next: end >= rows.length ? null : end,
      };
    },
  };
  return feed;
}

const sourceRows = (sourceId: string) =>
  fc
    .array(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 1000 })), { maxLength: 40 })
    .map((pairs) => {
      const unique = new Map(pairs.map(([micros, id]) => [String(id), micros]));
      // Sorted by time only: ties stay in insertion order, which is not id order.
      return [...unique]
        .map(([nativeId, micros]) => ({ key: { micros, sourceId, nativeId } }))
        .sort((a, b) => b.key.micros - a.key.micros);
    });

/**
 * The merged order, restated without the code under test: newest first, then source id
 * ascending, then native id descending (the generated ids are decimal, so as numbers).
 */
const oracleOrder = (a: OrderKey, b: OrderKey) =>
  b.micros - a.micros || (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0) || Number(b.nativeId) - Number(a.nativeId);

async function walk(all: Record<string, Row[]>, pageSize: number, firsts: number[], accept?: (row: Row) => boolean) {
  const seen: OrderKey[] = [];
  let state: CursorState = { after: null, sources: {} };
  for (let i = 0; i < 500; i++) {
    const first = firsts[i % firsts.length]!;
    const feeds = Object.entries(all).map(([id, rows]) => feedOf(id, rows, pageSize, state.sources[id] ?? null, accept));
    const page = await mergeFeeds(feeds, { first, after: state.after, maxPagesPerSource: 1000 });
    seen.push(...page.edges.map((e) => e.key));
    state = page.endState;
    if (!page.hasNextPage) return seen;
  }
  throw new Error('the walk did not end');
}

describe('mergeFeeds', () => {
  it('walks every row of every source exactly once, in the one total order, whatever the page sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        sourceRows('a'),
        sourceRows('b'),
        sourceRows('c'),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }),
        async (a, b, c, pageSize, firsts) => {
          const seen = await walk({ a, b, c }, pageSize, firsts);
          const expected = [...a, ...b, ...c].map((r) => r.key).sort(oracleOrder);
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('applies local checks without losing or repeating matching rows', async () => {
    await fc.assert(
      fc.asyncProperty(sourceRows('a'), sourceRows('b'), fc.integer({ min: 1, max: 5 }), async (a, b, pageSize) => {
        const even = (row: Row) => Number(row.key.nativeId) % 2 === 0;
        const seen = await walk({ a, b }, pageSize, [3], even);
        expect(seen).toEqual([...a, ...b].filter(even).map((r) => r.key).sort(oracleOrder));
      }),
      { numRuns: 200 },
    );
  });

  it('orders one second shared by every source: source id, then native id descending (64-bit and short ids as numbers, slugs as text)', async () => {
    const T = 1_700_000_000_000_000;
    const key = (sourceId: string, nativeId: string, micros = T) => ({ key: { micros, sourceId, nativeId } });
    // Each provider sends its equal times in an order of its own.
    const all = {
      rz: [key('rz', 'billing-abc12'), key('rz', 'refund-zz9'), key('rz', 'a-late', T - 1_000_000)],
      cq: [key('cq', '998'), key('cq', '1160406004328607268'), key('cq', '1160406004328607267'), key('cq', '5', T - 1_000_000)],
      cw: [key('cw', '25'), key('cw', '100'), key('cw', '9'), key('cw', '7', T - 2_000_000)],
    };
    const expected = [
      'cq:1160406004328607268',
      'cq:1160406004328607267',
      'cq:998',
      'cw:100',
      'cw:25',
      'cw:9',
      'rz:refund-zz9',
      'rz:billing-abc12',
      'cq:5',
      'rz:a-late',
      'cw:7',
    ];
    for (const [pageSize, firsts] of [[1, [1]], [2, [3, 1]], [3, [5]], [5, [2, 4]]] as Array<[number, number[]]>) {
      const seen = await walk(all, pageSize, firsts);
      expect(seen.map((k) => `${k.sourceId}:${k.nativeId}`), `page size ${pageSize}, first ${firsts}`).toEqual(expected);
    }
  });

  it('holds back a row on a shared timestamp until the source shows a lower one', async () => {
    const rows = [
      { key: { micros: 10, sourceId: 'a', nativeId: '1' } },
      { key: { micros: 10, sourceId: 'a', nativeId: '9' } },
      { key: { micros: 5, sourceId: 'a', nativeId: '4' } },
    ];
    const feed = feedOf('a', rows, 1, null);
    const page = await mergeFeeds([feed], { first: 1, after: null, maxPagesPerSource: 10 });
    // Id 9 sorts first among equal times although the provider sent id 1 first.
    expect(page.edges.map((e) => e.key.nativeId)).toEqual(['9']);
    expect(feed.calls).toBe(3);
  });

  it('reads one upstream page per source when that page is enough', async () => {
    const rows = (id: string) => Array.from({ length: 30 }, (_, i) => ({ key: { micros: 1000 - i * 3, sourceId: id, nativeId: String(i) } }));
    const feeds = ['a', 'b', 'c'].map((id) => feedOf(id, rows(id), 25, null));
    const page = await mergeFeeds(feeds, { first: 20, after: null, maxPagesPerSource: 5 });
    expect(page.edges).toHaveLength(20);
    expect(feeds.map((f) => f.calls)).toEqual([1, 1, 1]);
  });

  it('returns the healthy sources when one fails, and keeps the failed one resumable', async () => {
    const good = feedOf('a', [{ key: { micros: 9, sourceId: 'a', nativeId: '1' } }], 5, null);
    const failing: Feed<Row> = { sourceId: 'b', resume: 7, accepts: () => true, fetch: () => Promise.reject(new Error('boom')) };
    const page = await mergeFeeds([good, failing], { first: 5, after: null, maxPagesPerSource: 5 });
    expect(page.edges.map((e) => e.key.nativeId)).toEqual(['1']);
    expect(page.feeds.get('b')?.outcome).toBe('FAILED');
    expect(page.endState.sources.b).toBe(7);
  });

  it('stops short with hasNextPage when a source runs out of its page budget, and resumes past what it scanned', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ key: { micros: 100 - i, sourceId: 'a', nativeId: String(i) } }));
    const onlyLast = (row: Row) => row.key.nativeId === '19';
    const first = await mergeFeeds([feedOf('a', rows, 2, null, onlyLast)], { first: 5, after: null, maxPagesPerSource: 3 });
    expect(first.edges).toEqual([]);
    expect(first.hasNextPage).toBe(true);
    expect(first.feeds.get('a')?.outcome).toBe('PARTIAL');
    expect(first.endState.sources.a).toBe(5);
  });
});

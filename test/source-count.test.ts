import { describe, expect, it } from 'vitest';
import { mergedTotalCount, settleSourceCount, type CountInputs } from '../src/conversations/source-count.js';

const clean: CountInputs = { status: 'OK', appliedLocally: [], errorCode: null, providerCount: 42, leaked: false };

describe('settleSourceCount', () => {
  it('is exact when the provider counted and Parley dropped nothing itself', () => {
    expect(settleSourceCount(clean)).toEqual({ totalCount: 42, exact: true, atMost: 42 });
    // A page stopped by the budget still has the provider's exact count for the filter.
    expect(settleSourceCount({ ...clean, status: 'PARTIAL' })).toEqual({ totalCount: 42, exact: true, atMost: 42 });
  });

  it.each([
    ['a part checked locally', { appliedLocally: ['closed'] }],
    ['a row the provider let through although it does not match', { leaked: true }],
    ['rows left out as unreadable', { status: 'PARTIAL', droppedRows: 2 }],
    ['an error after some rows', { status: 'PARTIAL', errorCode: 'UPSTREAM_BAD_RESPONSE' }],
  ] as const)('keeps only the bound after %s', (_why, change) => {
    expect(settleSourceCount({ ...clean, ...change })).toEqual({ totalCount: null, exact: false, atMost: 42 });
  });

  it('has no count for a skipped or failed source, or one whose provider gave none', () => {
    const none = { totalCount: null, exact: false, atMost: null };
    expect(settleSourceCount({ ...clean, status: 'SKIPPED' })).toEqual(none);
    expect(settleSourceCount({ ...clean, status: 'FAILED', errorCode: 'SOURCE_UNAVAILABLE' })).toEqual(none);
    expect(settleSourceCount({ ...clean, providerCount: null })).toEqual(none);
    expect(settleSourceCount({ ...clean, providerCount: undefined })).toEqual(none);
  });

  it('counts zero exactly when the plan alone rules every row out', () => {
    expect(settleSourceCount({ ...clean, appliedLocally: ['channels'], providerCount: undefined, nothingCanMatch: true })).toEqual({
      totalCount: 0,
      exact: true,
      atMost: 0,
    });
  });
});

describe('mergedTotalCount', () => {
  it('sums only when every source is exact', () => {
    expect(mergedTotalCount([{ totalCount: 3, exact: true, atMost: 3 }, { totalCount: 4, exact: true, atMost: 4 }])).toBe(7);
    expect(mergedTotalCount([{ totalCount: 3, exact: true, atMost: 3 }, { totalCount: null, exact: false, atMost: 9 }])).toBeNull();
  });
});

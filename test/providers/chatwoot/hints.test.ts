import { describe, expect, it } from 'vitest';
import { isChatwootHint, PageLedger } from '../../../src/providers/chatwoot/hints.js';

const key = (micros: number, nativeId: string) => ({ micros, sourceId: 'cw', nativeId });

describe('PageLedger', () => {
  it('hints the row own page when no earlier page holds a row sorting after it', () => {
    const ledger = new PageLedger();
    ledger.record(1, key(900, '1'));
    ledger.record(1, key(800, '2'));
    ledger.record(2, key(700, '3'));
    expect(ledger.hintFor(2, key(700, '3'))).toEqual([2, 700, '3']);
  });

  it('hints the earliest page holding a row that sorts after it (ties, shifted rows)', () => {
    const ledger = new PageLedger();
    ledger.record(1, key(900, '1'));
    ledger.record(2, key(500, '2'));
    ledger.record(3, key(600, '3'));
    ledger.record(4, key(600, '9'));
    // 2 (page 2) sorts after 3 and after 9; 3 sorts after 9 on equal time (ids descending).
    expect(ledger.hintFor(3, key(600, '3'))).toEqual([2, 600, '3']);
    expect(ledger.hintFor(4, key(600, '9'))).toEqual([2, 600, '9']);
  });
});

describe('isChatwootHint', () => {
  it('accepts [page >= 1, micros >= 0, display id]', () => {
    expect(isChatwootHint([1, 0, '1'])).toBe(true);
    expect(isChatwootHint([1, 0, ''])).toBe(false);
    expect(isChatwootHint([1, 0.5, '1'])).toBe(false);
  });
});

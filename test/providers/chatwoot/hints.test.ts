import { describe, expect, it } from 'vitest';
import { isChatwootHint } from '../../../src/providers/chatwoot/hints.js';

describe('isChatwootHint', () => {
  it('accepts [page >= 1, micros >= 0, display id] and its tie-group form with a trailing 1', () => {
    expect(isChatwootHint([1, 0, '1'])).toBe(true);
    expect(isChatwootHint([2, 5_000_000, '17', 1])).toBe(true);
    expect(isChatwootHint([1, 0, ''])).toBe(false);
    expect(isChatwootHint([1, 0.5, '1'])).toBe(false);
    expect(isChatwootHint([0, 0, '1'])).toBe(false);
    expect(isChatwootHint([1, 0, 'slug-1'])).toBe(false);
    expect(isChatwootHint([1, 0, '1', 2])).toBe(false);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/http/json.js';

describe('parseJson', () => {
  it('reads a bare 64-bit integer as its exact decimal string (Carrot quest\'s own pagination example)', () => {
    const body = '{"meta":{"next_before_position":[1684739969.358085,1160406004324630614],"status":200},"data":[]}';
    expect(parseJson(body)).toEqual({ meta: { next_before_position: [1684739969.358085, '1160406004324630614'], status: 200 }, data: [] });
  });

  it('keeps every other number a number: safe integers, floats, exponents, negatives', () => {
    expect(parseJson('[9007199254740991, -9007199254740993, 1.5, 1e3, 12345678901234567.5, "12345678901234567890"]')).toEqual([
      9007199254740991,
      '-9007199254740993',
      1.5,
      1000,
      12345678901234567.5,
      '12345678901234567890',
    ]);
  });

  it('answers what JSON.parse answers for any JSON without unsafe integers', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        fc.pre(!hasUnsafeInteger(JSON.parse(text)));
        expect(parseJson(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects what is not JSON, also on the exact path', () => {
    expect(() => parseJson('{"a": 12345678901234567,}')).toThrow(SyntaxError);
    expect(() => parseJson('<html>')).toThrow(SyntaxError);
  });
});

function hasUnsafeInteger(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value);
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(hasUnsafeInteger);
}

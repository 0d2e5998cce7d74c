import { isInteger, isSafeNumber, parse } from 'lossless-json';

/**
 * Upstream JSON without rounding: `JSON.parse` silently rounds integers beyond 2^53,
 * and Carrot quest sends 64-bit ids bare wherever `id_as_string` does not reach (its own
 * pagination example has one in `meta.next_before_position`). Such integers become their
 * exact decimal string, the form ids take everywhere else; all other numbers stay numbers.
 */

/** A bare integer of 16 or more digits in a value position: the only literal `JSON.parse` may round. */
const LONG_INTEGER = /[:,[]\s*-?\d{16}/;

export function parseJson(text: string): unknown {
  // The exact parser is slower: only bodies that may need it pay for it (quoted ids do not match).
  if (!LONG_INTEGER.test(text)) return JSON.parse(text);
  return parse(text, null, exactNumber);
}

function exactNumber(literal: string): number | string {
  return isInteger(literal) && !isSafeNumber(literal) ? literal : Number(literal);
}

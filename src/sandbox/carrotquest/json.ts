/**
 * JSON text for Carrot quest bodies. Its primary keys are 64-bit and, unless the client
 * sends `id_as_string`, go out as BARE JSON numbers (providers.md 1.2). `JSON.stringify`
 * cannot print a number above 2^53 exactly, so ids travel through the serialiser as
 * `BigId` markers holding their decimal digits and this module writes the text itself.
 */

/** A primary key on its way to the wire: digits, printed bare or quoted per `id_as_string`. */
export class BigId {
  constructor(readonly digits: string) {
    if (!/^\d+$/.test(digits)) throw new Error(`BigId needs decimal digits, got ${JSON.stringify(digits)}`);
  }
}

export const bigId = (digits: string): BigId => new BigId(digits);
export const bigIdOrNull = (digits: string | null): BigId | null => (digits === null ? null : new BigId(digits));

export type WireValue = null | boolean | number | string | BigId | WireValue[] | { [key: string]: WireValue | undefined };

/** Writes `value` as JSON text; `BigId`s become bare numbers, or strings with `idAsString`. */
export function renderJson(value: WireValue | undefined, idAsString: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof BigId) return idAsString ? `"${value.digits}"` : value.digits;
  if (Array.isArray(value)) return `[${value.map((item) => renderJson(item, idAsString)).join(',')}]`;
  if (typeof value === 'object') {
    const members: string[] = [];
    for (const [key, member] of Object.entries(value)) {
      // Like JSON.stringify: an undefined member is left out, which is how optional fields vanish.
      if (member === undefined) continue;
      members.push(`${JSON.stringify(key)}:${renderJson(member, idAsString)}`);
    }
    return `{${members.join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`cannot write ${value} as JSON`);
  return JSON.stringify(value);
}

/** One element of a JSON array kept as raw text, so 64-bit numbers keep every digit. */
export type RawElement = { kind: 'number'; text: string } | { kind: 'string'; value: string };

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const STRING = /^"(?:[^"\\]|\\.)*"/;

/**
 * Reads a flat JSON array of numbers and strings (`[1684739969.358085, 1160406004324630614]`)
 * without `JSON.parse`, which would round the id. Returns undefined when the text is not
 * such an array.
 */
export function parseRawArray(text: string): RawElement[] | undefined {
  let rest = text.trim();
  if (!rest.startsWith('[')) return undefined;
  rest = rest.slice(1).trimStart();
  const elements: RawElement[] = [];
  if (rest.startsWith(']')) return rest.slice(1).trim() === '' ? elements : undefined;
  for (;;) {
    const number = NUMBER.exec(rest);
    const string = number ? null : STRING.exec(rest);
    if (number) elements.push({ kind: 'number', text: number[0] });
    else if (string) elements.push({ kind: 'string', value: JSON.parse(string[0]) as string });
    else return undefined;
    rest = rest.slice((number ?? string)![0].length).trimStart();
    if (rest.startsWith(',')) {
      rest = rest.slice(1).trimStart();
      continue;
    }
    if (rest.startsWith(']')) return rest.slice(1).trim() === '' ? elements : undefined;
    return undefined;
  }
}

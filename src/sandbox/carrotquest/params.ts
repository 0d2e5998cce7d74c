import type { SimRequest } from '../kit/simulator-server.js';
import { parseRawArray, type RawElement } from './json.js';

/**
 * Request parameters as Carrot quest reads them (providers.md 1.1): from the query or a
 * POST body, lenient booleans, arrays as JSON or comma lists. Every parse error is a
 * `ParamError`, which the routes answer with 400 `BadRequest`.
 */

export class ParamError extends Error {}

/** Query parameters, plus a body's (form-encoded or a JSON object; POST or DELETE), which win. */
export function readParams(request: SimRequest): URLSearchParams {
  const params = new URLSearchParams(request.query);
  let body: Record<string, unknown> | undefined;
  if (request.body instanceof URLSearchParams) body = Object.fromEntries(request.body);
  else if (typeof request.body === 'string') body = Object.fromEntries(new URLSearchParams(request.body));
  else if (request.body && typeof request.body === 'object' && !Array.isArray(request.body)) body = request.body as Record<string, unknown>;
  for (const [key, value] of Object.entries(body ?? {})) {
    params.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return params;
}

/**
 * Lenient boolean (providers.md 1.1): any case of `false`, `0` and the empty string are
 * false, anything else true; an absent parameter is null, which is not false.
 */
export function readBool(params: URLSearchParams, name: string): boolean | null {
  const value = params.get(name);
  if (value === null) return null;
  return !(value === '' || value === '0' || value.toLowerCase() === 'false');
}

/** An integer within `min..max`; digits only (no sign, fraction or blanks). */
export function readCount(params: URLSearchParams, name: string, fallback: number, min = 1, max = 50): number {
  const value = params.get(name);
  if (value === null) return fallback;
  const n = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) throw new ParamError(`${name}: must be an integer from ${min} to ${max}`);
  return n;
}

/** An `ID / 0` parameter (`assigned`, `channel`): digits, `0` meaning "none". */
export function readId(params: URLSearchParams, name: string): string | null {
  const value = params.get(name);
  if (value === null) return null;
  if (!/^\d{1,20}$/.test(value)) throw new ParamError(`${name}: must be an ID or 0`);
  return BigInt(value).toString();
}

/** One of a fixed set of words. */
export function readChoice<T extends string>(params: URLSearchParams, name: string, choices: readonly T[], fallback: T): T;
export function readChoice<T extends string>(params: URLSearchParams, name: string, choices: readonly T[]): T | null;
export function readChoice<T extends string>(params: URLSearchParams, name: string, choices: readonly T[], fallback?: T): T | null {
  const value = params.get(name);
  if (value === null) return fallback ?? null;
  if (!(choices as readonly string[]).includes(value)) throw new ParamError(`${name}: must be one of ${choices.join(', ')}`);
  return value as T;
}

/**
 * An array of strings: JSON (`["a","b"]`) or a comma list (`a,b`; providers.md 1.1).
 * Null when absent; blank entries of a comma list are dropped.
 */
export function readStringList(params: URLSearchParams, name: string): string[] | null {
  const value = params.get(name);
  if (value === null) return null;
  if (value.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new ParamError(`${name}: malformed JSON array`);
    }
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
      throw new ParamError(`${name}: must be an array of strings`);
    }
    return parsed as string[];
  }
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * A flat array of numbers (`paginate_position`), JSON or comma list, kept as raw text so a
 * 64-bit id keeps its digits. Null when absent.
 */
export function readRawList(params: URLSearchParams, name: string): RawElement[] | null {
  const value = params.get(name);
  if (value === null) return null;
  const text = value.trimStart().startsWith('[') ? value : `[${value}]`;
  const elements = parseRawArray(text);
  if (!elements) throw new ParamError(`${name}: must be a JSON array`);
  return elements;
}

/** A raw element as a finite number (a timestamp). */
export function rawNumber(element: RawElement | undefined, name: string): number {
  const text = element?.kind === 'number' ? element.text : element?.value;
  const n = text !== undefined && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n)) throw new ParamError(`${name}: malformed position`);
  return n;
}

/** A raw element as an id: non-negative integer digits, number or string. */
export function rawId(element: RawElement | undefined, name: string): bigint {
  const text = element?.kind === 'number' ? element.text : element?.value;
  if (text === undefined || !/^\d{1,20}$/.test(text)) throw new ParamError(`${name}: malformed position`);
  return BigInt(text);
}

import { z } from 'zod';

/**
 * How providers really write optional values, shared by the adapters' schemas and mappers:
 * counts and codes as numbers or numeric strings, "" or null for none, and nested
 * objects as `{}` or with an empty key when there is no such object.
 */

const NUMERIC_OR_BLANK = /^\s*(-?\d+(\.\d+)?)?\s*$/;

/** An optional number: a number, a numeric string, "" or null. Read it with `numberOf`. */
export const looseNumber = z.union([z.number(), z.string().regex(NUMERIC_OR_BLANK)]).nullish();

export function numberOf(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const text = value.trim();
  return text === '' ? null : Number(text);
}

/** The key of a nested object as Parley carries it, or null when the object names none (`{}`, `"id": null`, `"id": ""`). */
export function keyOf(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const key = String(value).trim();
  return key === '' ? null : key;
}

/** `value` when it names its key (an `id` that is neither absent, null nor ""), else null: such an object stands for nothing. */
export function keyed<T extends { id?: string | number | null | undefined }>(
  value: T | null | undefined,
): (T & { id: string | number }) | null {
  return value && keyOf(value.id) !== null ? (value as T & { id: string | number }) : null;
}

/** `value` when its text key `key` (an email, a slug) is non-blank, else null: keyed by nothing, it stands for nothing. */
export function withText<T extends object, K extends keyof T>(value: T | null | undefined, key: K): (T & Record<K, string>) | null {
  const text = value?.[key];
  return typeof text === 'string' && text.trim() !== '' ? (value as T & Record<K, string>) : null;
}

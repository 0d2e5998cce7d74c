/** How Chatwoot writes times and absent values, read into Parley's. */

/**
 * Epoch milliseconds from unix seconds (ints, floats) or ISO strings. Chatwoot writes nil
 * timestamps as `0`, which means "never".
 */
export function toMillis(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.round(value * 1000) : null;
  if (/^\d+(\.\d+)?$/.test(value)) return toMillis(Number(value));
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? null : millis;
}

/** Epoch microseconds, keeping the sub-millisecond digits of float seconds. */
export function toMicros(value: number | string | null | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.round(value * 1e6) : null;
  const millis = toMillis(value);
  return millis === null ? null : millis * 1000;
}

/** Chatwoot writes absent strings as null or `""`. */
export function nonEmpty(value: string | null | undefined): string | null {
  return value === null || value === undefined || value === '' ? null : value;
}

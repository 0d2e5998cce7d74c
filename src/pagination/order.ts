/**
 * The one total order of the merged connection (design.md section 4): last activity
 * descending, then source id ascending, then native id descending. Native ids compare as
 * numbers when both are decimal strings (Carrot quest and Chatwoot ids), so the tie-break
 * agrees with Carrot quest's own `(last_update, id) DESC` keyset.
 */
export interface OrderKey {
  /** Last activity, epoch microseconds. */
  micros: number;
  sourceId: string;
  nativeId: string;
}

const DECIMAL = /^[0-9]+$/;

/** Compares two native ids: numerically for decimal strings of any length, else as text. */
export function compareNativeIds(a: string, b: string): number {
  if (DECIMAL.test(a) && DECIMAL.test(b)) {
    const x = a.replace(/^0+(?=.)/, '');
    const y = b.replace(/^0+(?=.)/, '');
    if (x.length !== y.length) return x.length - y.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when `a` comes before `b` in the merged order. */
export function compareOrderKeys(a: OrderKey, b: OrderKey): number {
  if (a.micros !== b.micros) return b.micros - a.micros;
  if (a.sourceId !== b.sourceId) return a.sourceId < b.sourceId ? -1 : 1;
  return compareNativeIds(b.nativeId, a.nativeId);
}

/** True when `key` comes strictly after `position` in the merged order. */
export function isAfter(key: OrderKey, position: OrderKey | null): boolean {
  return position === null || compareOrderKeys(key, position) > 0;
}

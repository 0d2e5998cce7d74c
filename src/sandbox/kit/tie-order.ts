import { createRandom } from './random.js';

/**
 * How a simulator orders rows that its sort cannot tell apart. A real `ORDER BY` without
 * a unique key may return equal rows in a different order on every query (PostgreSQL
 * says so for LIMIT/OFFSET), so with `shuffle` on each request gets a fresh order of
 * every run of equal rows; off, they keep storage order (a stable sort).
 */
export interface TieOrder {
  shuffle: boolean;
  /** `sorted` (already sorted by `compare`) with each run of equal rows arranged for one request. */
  arrange<T>(sorted: T[], compare: (a: T, b: T) => number): T[];
}

export interface TieOrderOptions {
  /** Seed of the per-request orders, so a run is repeatable. @default 1 */
  seed?: number;
  /** @default false */
  shuffle?: boolean;
}

export function createTieOrder(options: TieOrderOptions = {}): TieOrder {
  const random = createRandom((options.seed ?? 1) ^ 0x71e5);
  return {
    shuffle: options.shuffle ?? false,
    arrange(sorted, compare) {
      if (!this.shuffle) return sorted;
      const rows = [...sorted];
      let start = 0;
      while (start < rows.length) {
        let end = start + 1;
        while (end < rows.length && compare(rows[start]!, rows[end]!) === 0) end += 1;
        // Fisher-Yates within the run [start, end).
        for (let i = end - 1; i > start; i--) {
          const j = start + Math.floor(random() * (i - start + 1));
          [rows[i], rows[j]] = [rows[j]!, rows[i]!];
        }
        start = end;
      }
      return rows;
    },
  };
}

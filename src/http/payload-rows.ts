import type { z } from 'zod';
import { checkPayload } from './payload-schema.js';

/**
 * Reads the rows of a list payload one by one, so that one row Parley cannot read costs
 * that row, not the page: the envelope around the rows is checked whole (by `readPayload`),
 * each row here on its own.
 */

/** A list row that was left out: where it went wrong and what was expected there, never what it held. */
export interface DroppedRow {
  /** The JSON path in the upstream body, e.g. `data.payload[3].meta.sender.id`. */
  path: string;
  /** What the row had to hold at `path`, in words that never quote the upstream value. */
  problem: string;
}

export interface RowsRead<T> {
  /** The readable rows, in upstream order. */
  rows: T[];
  dropped: DroppedRow[];
}

/** Checks each of `items` against `schema`; `at` is the path of the array in the body (`data`, `data.payload`). */
export function readRows<S extends z.ZodType>(items: readonly unknown[], schema: S, at: string): RowsRead<z.output<S>> {
  const rows: Array<z.output<S>> = [];
  const dropped: DroppedRow[] = [];
  items.forEach((item, index) => {
    const result = checkPayload(schema, item);
    if (result.success) rows.push(result.data);
    else dropped.push(describe(result.error.issues[0], `${at}[${index}]`));
  });
  return { rows, dropped };
}

type Issue = z.core.$ZodIssue;

function describe(issue: Issue | undefined, prefix: string): DroppedRow {
  return { path: prefix + formatPath(issue?.path ?? []), problem: problemOf(issue) };
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
}

/** zod's messages name the expected and received types or formats, never a value (issues keep no input by default). */
function problemOf(issue: Issue | undefined): string {
  return issue?.message ?? 'unreadable';
}

import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors/codes.js';
import type { DroppedRow } from '../http/payload-rows.js';

/**
 * Rows a source's list payloads held that Parley could not read: each is left out of the
 * page, counted on the source's report (which becomes PARTIAL) and named in `errors` by
 * where it went wrong, never by what it held.
 */

/** Error entries per source and request: a provider that breaks every row must not flood `errors`; the count says the rest. */
export const MAX_DROPPED_ROW_ERRORS = 10;

interface Counted {
  sourceId: string;
  status: string;
  reason: string | null;
  droppedRows?: number;
}

/** Counts `dropped` on the report and adds one error entry per row, up to the cap. */
export function noteDroppedRows(report: Counted, dropped: readonly DroppedRow[] | undefined, errors: GraphQLError[]): void {
  if (!dropped || dropped.length === 0) return;
  const before = report.droppedRows ?? 0;
  report.droppedRows = before + dropped.length;
  for (const row of dropped.slice(0, Math.max(0, MAX_DROPPED_ROW_ERRORS - before))) {
    errors.push(
      new GraphQLError(`Source "${report.sourceId}": a conversation was left out: ${row.path} is not readable (${row.problem})`, {
        path: ['conversations'],
        extensions: { code: ErrorCode.UPSTREAM_BAD_RESPONSE, source: report.sourceId, path: row.path, retryable: false },
      }),
    );
  }
}

/**
 * Parts a thread's pages held that were left out: a parts connection has no source status
 * to make PARTIAL, so one error entry on that `parts` field says so (one per field, bounded
 * by the upstream-call budget like the fields themselves).
 */
export function notePartsLeftOut(sourceId: string, dropped: readonly DroppedRow[] | undefined, fieldPath: ReadonlyArray<string | number>, errors: GraphQLError[]): void {
  if (!dropped || dropped.length === 0) return;
  const first = dropped[0]!;
  errors.push(
    new GraphQLError(`Source "${sourceId}": parts of this conversation were left out: at ${first.path}, ${first.problem}`, {
      path: fieldPath,
      extensions: { code: ErrorCode.UPSTREAM_BAD_RESPONSE, source: sourceId, path: first.path, leftOutPages: dropped.length, retryable: false },
    }),
  );
}

/** Once the source's outcome is known: dropped rows make an OK source PARTIAL, and add to any other reason. */
export function settleDroppedRows(report: Counted): void {
  const count = report.droppedRows ?? 0;
  if (count === 0 || report.status === 'FAILED' || report.status === 'SKIPPED') return;
  const why = `${count} ${count === 1 ? 'conversation was' : 'conversations were'} left out: the provider sent ${count === 1 ? 'it' : 'them'} in a form Parley could not read`;
  report.reason = report.status === 'PARTIAL' && report.reason ? `${report.reason}; ${why}` : why;
  report.status = 'PARTIAL';
}

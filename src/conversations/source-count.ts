/**
 * How many conversations one source holds for the filter, as far as its provider says
 * (design.md section 4). Parley never walks pages to count: the number is the one the
 * provider put on the list answer it read anyway, or nothing.
 */

export interface SourceCount {
  /** The exact number of matches; null unless `exact`. */
  totalCount: number | null;
  exact: boolean;
  /** An upper bound: the provider's count for its (wider or equal) native query; null when it gave none. */
  atMost: number | null;
}

export interface CountInputs {
  status: 'OK' | 'PARTIAL' | 'FAILED' | 'SKIPPED';
  appliedLocally: readonly unknown[];
  errorCode: string | null;
  droppedRows?: number;
  /** The provider's count for the native query, when it reported one on this page. */
  providerCount: number | null | undefined;
  /** A row let through by a part sent to the provider did not match: the provider filtered more loosely. */
  leaked: boolean;
  /** The plan alone shows nothing can match (the source was not asked). */
  nothingCanMatch?: boolean;
}

const NO_COUNT: SourceCount = { totalCount: null, exact: false, atMost: null };

export function settleSourceCount(inputs: CountInputs): SourceCount {
  if (inputs.status === 'SKIPPED' || inputs.status === 'FAILED') return NO_COUNT;
  if (inputs.nothingCanMatch) return { totalCount: 0, exact: true, atMost: 0 };
  const count = inputs.providerCount;
  if (typeof count !== 'number') return NO_COUNT;
  // The native query is a superset of the matches: what Parley drops itself (LOCAL parts,
  // leaked or unreadable rows) makes the provider's number only a bound.
  const exact = inputs.appliedLocally.length === 0 && !inputs.leaked && (inputs.droppedRows ?? 0) === 0 && inputs.errorCode === null;
  return { totalCount: exact ? count : null, exact, atMost: count };
}

/** The connection's count: the sum, only when every source counted exactly. */
export function mergedTotalCount(counts: readonly SourceCount[]): number | null {
  if (!counts.every((c) => c.exact)) return null;
  return counts.reduce((sum, c) => sum + (c.totalCount ?? 0), 0);
}

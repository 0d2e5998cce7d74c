import { ErrorCode } from '../errors/codes.js';
import { SourceError } from '../http/errors.js';
import type { ListedConversation } from '../providers/adapter.js';

/**
 * The merge trusts each source to list rows by last activity, newest first: once it has
 * read a row, it treats every later row as no newer. A row that is newer than one read
 * before it means the key Parley merges by disagrees with the provider's own order (a
 * field the mapper had to replace, a sort the provider does not apply), and merging on
 * would put it out of order or skip it. The source stops there instead.
 */
export class RowOrderError extends SourceError {
  constructor(sourceId: string) {
    super(
      ErrorCode.UPSTREAM_BAD_RESPONSE,
      "the provider's rows are not in last-activity order, so Parley stopped merging them",
      { sourceId, failure: 'payload', retryable: false },
    );
  }
}

/** Checks the pages of one source within one request, in the order they were read. Equal times may come in any order. */
export function createOrderGuard(sourceId: string): (rows: readonly ListedConversation[]) => void {
  const seen = new Set<string>();
  let lowest = Number.POSITIVE_INFINITY;
  return (rows) => {
    for (const { conversation } of rows) {
      // A row read again (a shifted page, a re-read boundary) was already placed.
      if (seen.has(conversation.nativeId)) continue;
      seen.add(conversation.nativeId);
      if (conversation.lastUpdateMicros > lowest) throw new RowOrderError(sourceId);
      lowest = conversation.lastUpdateMicros;
    }
  };
}

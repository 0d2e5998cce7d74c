import type { FilterPart, SourceFilter } from '../domain/filter.js';
import { filterPartName } from '../domain/filter.js';
import { checkedParts, matchesParts } from '../domain/filter-match.js';
import { ErrorCode } from '../errors/codes.js';
import { SourceError } from '../http/errors.js';
import type { CallScope } from '../http/upstream-client.js';
import type { Conversation } from '../domain/model.js';
import type { FilterPlan, ListedConversation, SourceClient } from '../providers/adapter.js';

/**
 * What Parley checks on each listed row of one source: every LOCAL part, and every
 * NATIVE part a row can answer, so a provider that filters more loosely than its docs
 * led us to assume can never leak a row. The re-check costs no upstream call; only a row
 * whose payload left out a field a LOCAL part needs is re-read in full.
 */
export interface RowCheck {
  accepts(conversation: Conversation): boolean;
  /** The page's rows, each one that cannot answer a LOCAL part replaced by its full conversation. */
  complete(rows: readonly ListedConversation[], scope: CallScope): Promise<ListedConversation[]>;
}

export interface RowCheckOptions {
  pushedDown: readonly FilterPart[];
  appliedLocally: readonly FilterPart[];
  /** Called for each row a NATIVE part let through although it does not match. */
  onLeak?: (conversation: Conversation) => void;
}

export function createRowCheck(
  source: Pick<SourceClient, 'sourceId' | 'getConversations'>,
  filter: SourceFilter,
  plan: FilterPlan,
  options: RowCheckOptions,
): RowCheck {
  const local = options.appliedLocally;
  const native = checkedParts(options.pushedDown, []);
  const unknownParts = (conversation: Conversation) => plan.unknownParts?.(conversation) ?? [];
  const unknownLocal = (conversation: Conversation) => unknownParts(conversation).filter((part) => local.includes(part));

  return {
    accepts(conversation) {
      if (!matchesParts(conversation, filter, local)) return false;
      // A field the payload left out cannot contradict the provider's own filter on it.
      const unknown = unknownParts(conversation);
      const passes = matchesParts(conversation, filter, native.filter((part) => !unknown.includes(part)));
      if (!passes) options.onLeak?.(conversation);
      return passes;
    },

    async complete(rows, scope) {
      const stale = rows.filter((row) => unknownLocal(row.conversation).length > 0);
      if (stale.length === 0) return [...rows];
      const details = await source.getConversations(
        stale.map((row) => row.conversation.nativeId),
        scope,
      );
      const full = new Map(stale.map((row, i) => [row, details[i] ?? null]));
      return rows.flatMap((row) => {
        if (!full.has(row)) return [row];
        const detail = full.get(row);
        // Gone since the list was read: nothing left to match.
        if (!detail) return [];
        const missing = unknownLocal(detail.conversation);
        if (missing.length > 0) {
          throw new SourceError(
            ErrorCode.UPSTREAM_BAD_RESPONSE,
            `the provider's conversations leave out what Parley needs to check ${missing.map(filterPartName).join(', ')}`,
            { sourceId: source.sourceId, failure: 'payload', retryable: false },
          );
        }
        // The list row's order key is the one the provider paginated by: keep it.
        return [{ ...row, conversation: { ...detail.conversation, lastUpdateMicros: row.conversation.lastUpdateMicros } }];
      });
    },
  };
}

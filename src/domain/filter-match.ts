import type { FilterPart, SourceFilter, TimeRange } from './filter.js';
import type { Conversation } from './model.js';

/**
 * Evaluates filter parts on a mapped conversation: what Parley does for the parts an
 * adapter declares LOCAL. Pure; `now` is epoch milliseconds.
 *
 * - status: any of the listed unified statuses.
 * - closed: `closed` equals the value.
 * - answered: the last reply came from an admin (true) or from the user (false);
 *   a conversation whose last replier is unknown matches neither.
 * - delayed: status is SNOOZED (true) or is not (false).
 * - assignee: assigned to one of `adminIds`, or unassigned when `unassigned` is set.
 * - tags: has any of `anyOf` (or no tag at all when `untagged` is also true), has every
 *   tag of `allOf`; `untagged` alone: true means no tags, false means at least one tag.
 * - channels: in one of `ids`, or in no channel when `none` is set.
 * - botManaged: a bot or assistant manages it.
 * - search: needs message bodies, which a list payload does not carry: never LOCAL.
 * - updated / created: `from` inclusive, `to` exclusive, on lastUpdate / createdAt.
 */
export function matchesPart(conversation: Conversation, filter: SourceFilter, part: FilterPart): boolean {
  switch (part) {
    case 'status':
      return filter.status === undefined || filter.status.includes(conversation.status);
    case 'closed':
      return filter.closed === undefined || conversation.closed === filter.closed;
    case 'answered':
      return (
        filter.answered === undefined ||
        conversation.lastReplyFrom === (filter.answered ? 'ADMIN' : 'USER')
      );
    case 'delayed':
      return filter.delayed === undefined || (conversation.status === 'SNOOZED') === filter.delayed;
    case 'assignee': {
      const assignee = filter.assignee;
      if (!assignee) return true;
      if (conversation.assigneeId === null) return assignee.unassigned === true;
      return assignee.adminIds?.includes(conversation.assigneeId) ?? false;
    }
    case 'tags':
      return matchesTags(conversation.tags, filter.tags);
    case 'channels': {
      const channels = filter.channels;
      if (!channels) return true;
      if (conversation.channelId === null) return channels.none === true;
      return channels.ids?.includes(conversation.channelId) ?? false;
    }
    case 'botManaged':
      return filter.botManaged === undefined || conversation.botManaged === filter.botManaged;
    case 'search':
      throw new Error('search cannot be evaluated on a list payload; an adapter must not declare it LOCAL');
    case 'updated':
      return inRange(conversation.lastUpdateMicros / 1000, filter.updated);
    case 'created':
      return inRange(conversation.createdAt, filter.created);
  }
}

/** Parts no mapped row can answer: a message search needs bodies a list does not carry. */
export const ROW_UNCHECKABLE: readonly FilterPart[] = ['search'];

/**
 * The parts Parley checks on every row: each LOCAL part, and each NATIVE part a row can
 * answer, so a provider that filters more loosely than assumed cannot leak a row.
 */
export function checkedParts(pushedDown: readonly FilterPart[], appliedLocally: readonly FilterPart[]): FilterPart[] {
  return [...appliedLocally, ...pushedDown.filter((part) => !ROW_UNCHECKABLE.includes(part))];
}

/** True when the conversation passes every listed part. */
export function matchesParts(conversation: Conversation, filter: SourceFilter, parts: readonly FilterPart[]): boolean {
  return parts.every((part) => matchesPart(conversation, filter, part));
}

function matchesTags(tags: readonly string[], filter: SourceFilter['tags']): boolean {
  if (!filter) return true;
  const { anyOf, allOf, untagged } = filter;
  if (allOf && !allOf.every((tag) => tags.includes(tag))) return false;
  if (anyOf) {
    const hasAny = anyOf.some((tag) => tags.includes(tag));
    return hasAny || (untagged === true && tags.length === 0);
  }
  if (untagged !== undefined) return untagged ? tags.length === 0 : tags.length > 0;
  return true;
}

function inRange(millis: number, range: TimeRange | undefined): boolean {
  if (!range) return true;
  if (range.from !== undefined && millis < range.from) return false;
  if (range.to !== undefined && millis >= range.to) return false;
  return true;
}

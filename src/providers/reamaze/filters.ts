import { presentParts, type FilterPart, type PartDecision, type SourceFilter } from '../../domain/filter.js';
import type { QueryValue } from '../../http/upstream-client.js';
import { CONVERSATION_STATUSES, type Conversation, type ConversationStatus } from '../../domain/model.js';
import type { FilterPlan } from '../adapter.js';

/**
 * Unified filter -> Re:amaze list parameters (providers.md 4.3, docs/provider-assumptions.md).
 * Re:amaze's `filter` is single-valued and coarse (`open` is status 0 only, `unassigned`
 * hides archived ones), so status-like parts are checked by Parley on top of the
 * tightest `filter` value that still returns every possible match. Pure.
 */

/** The request parameters of a plan: always sent with `sort=changed` and a page number. */
export interface ReamazeListQuery {
  /** `all`, `unassigned`, or null for the provider's default (every status but archived). */
  filter: 'all' | 'unassigned' | null;
  /** One tag, or comma-separated tags when `tag=a,b` is known to match any of them. */
  tag: string | null;
  /** One channel (category) slug. */
  category: string | null;
}

const NOT_CLOSED: ConversationStatus[] = ['OPEN', 'PENDING', 'SNOOZED'];
const NOT_SNOOZED: ConversationStatus[] = ['OPEN', 'PENDING', 'CLOSED'];
/** Statuses a bot-managed conversation can have: 7 (AI agent assigned) is OPEN, 8 (AI agent done) is CLOSED. */
const BOT_STATUSES: ConversationStatus[] = ['OPEN', 'CLOSED'];

const REASONS: Partial<Record<FilterPart, string>> = {
  status: "Re:amaze's `filter` cannot select these statuses; Parley checks each conversation's status code.",
  closed: "Re:amaze's `filter` cannot select closed conversations; Parley checks each conversation's status code.",
  delayed: 'Re:amaze has no filter for conversations on hold; Parley checks for status 5 (On Hold).',
  botManaged: 'Re:amaze has no filter for AI-agent conversations; Parley checks for status 7 or 8.',
  created: 'Re:amaze cannot filter by creation time (`start_date`/`end_date` bound the latest customer message); Parley checks it.',
  updated: 'Re:amaze cannot filter by last activity (`start_date`/`end_date` bound the latest customer message); Parley checks it.',
};

/**
 * Readings of Re:amaze parameters its docs leave open (docs/provider-assumptions.md). A
 * parameter whose reading is not certain is never sent where a stricter reading than
 * assumed would drop matching conversations; Parley checks those parts itself instead.
 */
export interface ReamazePlanOptions {
  /**
   * What `tag=a,b` matches. `any`: conversations with any of the tags, so an any-of filter
   * is sent whole. Unknown: a list of several tags is never sent (all-of, or the whole
   * list taken as one tag, would drop matches); one tag is.
   * @default 'unknown'
   */
  tagList?: 'any' | 'unknown';
  /**
   * What `filter=unassigned` lists. `not-archived`: every unassigned conversation that is
   * not archived, so it is sent when no match can be archived. Unknown: never sent (it may
   * list only unresolved ones, dropping unassigned pending or on-hold conversations).
   * @default 'unknown'
   */
  unassignedFilter?: 'not-archived' | 'unknown';
}

export function planFilter(filter: SourceFilter, options: ReamazePlanOptions = {}): FilterPlan {
  const native: ReamazeListQuery = { filter: 'all', tag: null, category: null };
  const decisions = new Map<FilterPart, PartDecision>();
  const decide = (part: FilterPart, capability: PartDecision['capability'], reason?: string): void => {
    decisions.set(part, reason === undefined ? { part, capability } : { part, capability, reason });
  };
  let empty = false;

  const statuses = possibleStatuses(filter);
  if (statuses.size === 0) empty = true;
  // Archived (4) is CLOSED and not bot-managed: when no match can be archived, the default list suffices.
  const archivedExcluded = !statuses.has('CLOSED') || filter.botManaged === true;
  if (archivedExcluded) native.filter = null;
  for (const part of ['status', 'closed', 'delayed', 'botManaged', 'created', 'updated'] as const) {
    if (filter[part] !== undefined) decide(part, 'LOCAL', REASONS[part]);
  }
  // The list carries only the time of the last customer message: a later staff reply, a
  // note, a collision message and a bare status change all look alike there, and status 1
  // (Responded) need not follow the thread. A local check would be a guess that silently
  // drops or adds conversations, so the source is skipped instead.
  if (filter.answered !== undefined) {
    decide(
      'answered',
      'UNSUPPORTED',
      "Re:amaze's conversation list does not say who replied last (only when the customer last wrote); Parley would have to read every thread.",
    );
  }

  if (filter.assignee) {
    const assignee = planAssignee(filter.assignee, archivedExcluded, options);
    if (assignee.unassignedFilter) native.filter = 'unassigned';
    empty ||= assignee.empty;
    decide('assignee', assignee.capability, assignee.reason);
  }

  if (filter.tags) {
    const tags = planTags(filter.tags, options);
    native.tag = tags.tag;
    empty ||= tags.empty;
    decide('tags', tags.capability, tags.reason);
  }

  if (filter.channels) {
    const channels = planChannels(filter.channels);
    native.category = channels.category;
    empty ||= channels.empty;
    decide('channels', channels.capability, channels.reason);
  }

  if (filter.search !== undefined) {
    decide('search', 'UNSUPPORTED', "Re:amaze's conversation list cannot search message text, and it carries no message bodies to search.");
  }

  const ordered = presentParts(filter).flatMap((part) => {
    const decision = decisions.get(part);
    return decision ? [decision] : [];
  });
  const plan: FilterPlan = filter.channels ? { decisions: ordered, native, unknownParts } : { decisions: ordered, native };
  return empty ? { ...plan, empty } : plan;
}

/** A category without a slug cannot say which channel the conversation is in. */
function unknownParts(conversation: Conversation): FilterPart[] {
  const raw = conversation.raw as { category?: { slug?: unknown } | null } | null;
  const slug = raw?.category?.slug;
  return typeof slug === 'string' && slug !== '' ? [] : ['channels'];
}

/** The unified statuses a conversation can have and still pass `status`, `closed`, `delayed` and `botManaged`. */
function possibleStatuses(filter: SourceFilter): Set<ConversationStatus> {
  let statuses: readonly ConversationStatus[] = filter.status ?? CONVERSATION_STATUSES;
  const keep = (allowed: readonly ConversationStatus[]): void => {
    statuses = statuses.filter((status) => allowed.includes(status));
  };
  if (filter.closed !== undefined) keep(filter.closed ? ['CLOSED'] : NOT_CLOSED);
  if (filter.delayed !== undefined) keep(filter.delayed ? ['SNOOZED'] : NOT_SNOOZED);
  if (filter.botManaged === true) keep(BOT_STATUSES);
  return new Set(statuses);
}

interface AssigneePlan {
  capability: PartDecision['capability'];
  /** Send `filter=unassigned`. */
  unassignedFilter: boolean;
  empty: boolean;
  reason?: string;
}

/** Re:amaze cannot filter by assignee; only "unassigned" can be sent, and only where its reading is known. */
function planAssignee(
  assignee: NonNullable<SourceFilter['assignee']>,
  archivedExcluded: boolean,
  options: ReamazePlanOptions,
): AssigneePlan {
  const adminIds = assignee.adminIds ?? [];
  const unassigned = assignee.unassigned === true;
  if (adminIds.length === 0 && !unassigned) {
    return { capability: 'LOCAL', unassignedFilter: false, empty: true, reason: 'The filter names no admin of this source, so nothing matches.' };
  }
  if (adminIds.length === 0 && archivedExcluded && options.unassignedFilter === 'not-archived') {
    // `filter=unassigned` hides archived conversations, which the statuses asked exclude anyway.
    return { capability: 'NATIVE', unassignedFilter: true, empty: false };
  }
  return {
    capability: 'LOCAL',
    unassignedFilter: false,
    empty: false,
    reason:
      adminIds.length > 0
        ? 'Re:amaze cannot filter by assignee; Parley matches the assignee email.'
        : archivedExcluded
          ? "Re:amaze does not document which statuses its unassigned filter lists; Parley checks the assignee."
          : "Re:amaze's unassigned filter hides archived conversations, which the statuses asked include; Parley checks the assignee.",
  };
}

/** One channel is sent as `category`; several are checked by Parley. */
function planChannels(channels: NonNullable<SourceFilter['channels']>): {
  capability: PartDecision['capability'];
  category: string | null;
  empty: boolean;
  reason?: string;
} {
  const ids = [...new Set(channels.ids ?? [])];
  const [only] = ids;
  if (ids.length > 1) {
    return { capability: 'LOCAL', category: null, empty: false, reason: 'Re:amaze filters by one channel at a time; Parley checks the channel.' };
  }
  // Every Re:amaze conversation has a channel, so `none` adds nothing and alone matches nothing.
  return { capability: 'NATIVE', category: only ?? null, empty: only === undefined };
}

interface TagsPlan {
  capability: PartDecision['capability'];
  tag: string | null;
  empty: boolean;
  reason?: string;
}

/** One tag, or (when `tag=a,b` is known to mean any-of) an any-of list; a tag holding a comma cannot be sent. */
function planTags(tags: NonNullable<SourceFilter['tags']>, options: ReamazePlanOptions): TagsPlan {
  const sendable = (tag: string): boolean => tag !== '' && !tag.includes(',');
  const allOf = tags.allOf ?? [];
  if (allOf.length > 0) {
    // Any one required tag is a valid pre-filter: a match carries all of them.
    const tag = allOf.find(sendable) ?? null;
    return { capability: 'LOCAL', tag, empty: false, reason: 'Re:amaze is sent one of the tags; Parley checks that every tag is present.' };
  }
  if (tags.anyOf !== undefined) {
    if (tags.untagged === true) {
      return { capability: 'LOCAL', tag: null, empty: false, reason: 'Re:amaze cannot filter for conversations without tags; Parley checks the tags.' };
    }
    if (tags.anyOf.length === 0) {
      return { capability: 'LOCAL', tag: null, empty: true, reason: 'The filter names no tag, so nothing matches.' };
    }
    if (!tags.anyOf.every(sendable)) {
      return { capability: 'LOCAL', tag: null, empty: false, reason: "A tag holds a comma, which Re:amaze's tag filter cannot carry; Parley checks the tags." };
    }
    const anyOf = [...new Set(tags.anyOf)];
    if (anyOf.length > 1 && options.tagList !== 'any') {
      return {
        capability: 'LOCAL',
        tag: null,
        empty: false,
        reason: "Re:amaze does not document whether its tag filter matches any or all of several tags; Parley checks the tags.",
      };
    }
    const tag = anyOf.join(',');
    // Re:amaze matches tags ignoring case and surrounding spaces: only a plain lowercase tag is matched exactly.
    if (!tags.anyOf.every((t) => t === t.trim().toLowerCase())) {
      return { capability: 'LOCAL', tag, empty: false, reason: "Re:amaze's tag filter ignores case and surrounding spaces; Parley checks the exact tags." };
    }
    return { capability: 'NATIVE', tag, empty: false };
  }
  if (tags.untagged !== undefined) {
    return { capability: 'LOCAL', tag: null, empty: false, reason: 'Re:amaze cannot filter on whether a conversation has tags; Parley checks the tags.' };
  }
  return { capability: 'NATIVE', tag: null, empty: false };
}

/** The query string of one list page. `sort=changed` is `updated_at` descending: the merge order. */
export function toListQuery(native: ReamazeListQuery, page: number): Record<string, QueryValue> {
  return {
    filter: native.filter,
    sort: 'changed',
    tag: native.tag,
    category: native.category,
    page,
  };
}

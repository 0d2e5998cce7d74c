import { CONVERSATION_STATUSES, type Conversation, type ConversationStatus } from '../../domain/model.js';
import { presentParts, type FilterPart, type PartDecision, type SourceFilter, type TimeRange } from '../../domain/filter.js';
import type { QueryValue } from '../../http/upstream-client.js';
import type { FilterPlan } from '../adapter.js';
import { BOT_ID_PREFIX } from './mapper.js';

/**
 * Unified filter -> Chatwoot list parameters (providers.md 2.2 and 4.3). Whatever is sent
 * natively is a superset of the true matches; the parts declared LOCAL are then checked
 * by Parley on the mapped rows.
 */

export type NativeStatus = 'all' | 'open' | 'pending' | 'snoozed' | 'resolved';
export type AssigneeType = 'all' | 'unassigned' | 'assigned';
export type CountKey = 'all_count' | 'unassigned_count' | 'assigned_count';

export interface ChatwootListParams {
  status: NativeStatus;
  assigneeType: AssigneeType;
  /** Sent as `labels[]`, which Chatwoot matches with ANY semantics. */
  labels: string[];
  inboxId: string | null;
  q: string | null;
}

export interface ChatwootPlan extends FilterPlan {
  native: ChatwootListParams;
}

const NATIVE_STATUS: Record<ConversationStatus, NativeStatus> = {
  OPEN: 'open',
  PENDING: 'pending',
  SNOOZED: 'snoozed',
  CLOSED: 'resolved',
};

const DECIMAL = /^\d+$/;

const REASONS = {
  searchStatus: 'Chatwoot ignores the status filter while searching (q), so Parley checks the status',
  status: 'Chatwoot filters on one status at a time, so Parley keeps the listed statuses',
  closed: 'Chatwoot cannot exclude resolved conversations, so Parley does',
  delayed: 'Chatwoot cannot exclude snoozed conversations, so Parley does',
  contradictoryStatus: 'these status conditions leave no status: nothing can match',
  unassigned: 'Chatwoot counts conversations owned by an agent bot as unassigned, so Parley drops those',
  admins: 'Chatwoot lists by assignee only as assigned or unassigned, so Parley matches the admins',
  noAdmin: 'the assignee filter names no admin of this source: nothing can match',
  tags: 'Chatwoot matches any of the labels sent, so Parley checks all-of and untagged',
  labelMatching: 'Chatwoot matches labels ignoring case and splits them on commas, so Parley checks the exact tags',
  contradictoryTags: 'these tag conditions exclude each other: nothing can match',
  channels: 'Chatwoot filters on one inbox at a time, so Parley matches the others',
  noChannel: 'every Chatwoot conversation is in an inbox and no inbox of this source is named: nothing can match',
  answered: 'Chatwoot cannot filter on who wrote last, so Parley checks the last message',
  botManaged: 'Chatwoot cannot filter on agent-bot ownership, so Parley checks the assignee',
  updated: 'Chatwoot filters on update time only without pagination (updated_within), so Parley checks the last activity',
  created: 'Chatwoot cannot filter its list on creation time, so Parley checks it',
} as const;

export function planFilter(filter: SourceFilter): ChatwootPlan {
  const decisions = new Map<FilterPart, PartDecision>();
  const native: ChatwootListParams = {
    status: 'all',
    assigneeType: 'all',
    labels: [],
    inboxId: null,
    q: null,
  };
  let empty = false;
  const decide = (part: FilterPart, reason?: string): void => {
    decisions.set(part, reason === undefined ? { part, capability: 'NATIVE' } : { part, capability: 'LOCAL', reason });
  };

  // An empty search is a substring of everything; Chatwoot ignores a blank `q` as well.
  if (filter.search !== undefined) {
    if (filter.search !== '') native.q = literalIlike(filter.search);
    decide('search');
  }

  empty = planStatus(filter, native, decide) || empty;
  empty = planAssignee(filter, native, decide) || empty;
  empty = planTags(filter, native, decide) || empty;
  empty = planChannels(filter, native, decide) || empty;

  if (filter.answered !== undefined) decide('answered', REASONS.answered);
  if (filter.botManaged !== undefined) decide('botManaged', REASONS.botManaged);
  if (filter.updated !== undefined) {
    decide('updated', REASONS.updated);
    empty = isEmptyRange(filter.updated) || empty;
  }
  if (filter.created !== undefined) {
    decide('created', REASONS.created);
    empty = isEmptyRange(filter.created) || empty;
  }

  const ordered = presentParts(filter).flatMap((part) => decisions.get(part) ?? []);
  const plan: ChatwootPlan = filter.channels ? { decisions: ordered, native, unknownParts } : { decisions: ordered, native };
  return empty ? { ...plan, empty: true } : plan;
}

/** A row whose `inbox_id` is missing cannot say which inbox it is in. */
function unknownParts(conversation: Conversation): FilterPart[] {
  const raw = conversation.raw as { inbox_id?: unknown } | null;
  return raw?.inbox_id === null || raw?.inbox_id === undefined ? ['channels'] : [];
}

type Decide = (part: FilterPart, reason?: string) => void;

/** status, closed and delayed all narrow the one `status` parameter. Returns true when nothing can match. */
function planStatus(filter: SourceFilter, native: ChatwootListParams, decide: Decide): boolean {
  const constraints: Array<[FilterPart, ConversationStatus[], string]> = [];
  if (filter.status !== undefined) constraints.push(['status', filter.status, REASONS.status]);
  if (filter.closed !== undefined) {
    constraints.push(['closed', filter.closed ? ['CLOSED'] : ['OPEN', 'PENDING', 'SNOOZED'], REASONS.closed]);
  }
  if (filter.delayed !== undefined) {
    constraints.push(['delayed', filter.delayed ? ['SNOOZED'] : ['OPEN', 'PENDING', 'CLOSED'], REASONS.delayed]);
  }
  if (constraints.length === 0) return false;

  const allowed = CONVERSATION_STATUSES.filter((status) => constraints.every(([, set]) => set.includes(status)));
  const only = allowed.length === 1 ? allowed[0] : undefined;
  // `q` switches Chatwoot's status filter off, so with a search every status comes back.
  if (only !== undefined && native.q === null) native.status = NATIVE_STATUS[only];
  const returned: readonly ConversationStatus[] = native.status === 'all' ? CONVERSATION_STATUSES : allowed;

  for (const [part, set, reason] of constraints) {
    if (allowed.length === 0) decide(part, REASONS.contradictoryStatus);
    else if (returned.every((status) => set.includes(status))) decide(part);
    else decide(part, native.q !== null ? REASONS.searchStatus : reason);
  }
  return allowed.length === 0;
}

function planAssignee(filter: SourceFilter, native: ChatwootListParams, decide: Decide): boolean {
  const assignee = filter.assignee;
  if (assignee === undefined) return false;
  const adminIds = unique(assignee.adminIds ?? []).filter(isAdminId);
  const unassigned = assignee.unassigned === true;
  if (adminIds.length === 0) {
    if (!unassigned) {
      decide('assignee', REASONS.noAdmin);
      return true;
    }
    native.assigneeType = 'unassigned';
    decide('assignee', REASONS.unassigned);
    return false;
  }
  // `assigned` means "has an agent": bot-owned conversations would be filtered out.
  if (!unassigned && adminIds.every((id) => DECIMAL.test(id))) native.assigneeType = 'assigned';
  decide('assignee', REASONS.admins);
  return false;
}

function planTags(filter: SourceFilter, native: ChatwootListParams, decideAny: Decide): boolean {
  const tags = filter.tags;
  if (tags === undefined) return false;
  const allOf = unique(tags.allOf ?? []);
  const anyOf = tags.anyOf === undefined ? undefined : unique(tags.anyOf);
  // Chatwoot matches labels ignoring case and splits them on commas, so a tag that is not
  // a plain lowercase label can bring other labels back: Parley then checks the tags.
  const loose = [...allOf, ...(anyOf ?? [])].some((tag) => tag === '' || tag !== tag.trim().toLowerCase() || tag.includes(','));
  const decide: Decide = (part, reason) => decideAny(part, reason ?? (loose ? REASONS.labelMatching : undefined));
  const contradiction = (): boolean => {
    decide('tags', REASONS.contradictoryTags);
    return true;
  };

  if (anyOf === undefined) {
    if (allOf.length > 0) {
      if (tags.untagged === true) return contradiction();
      return requireAll(allOf, native, decide);
    }
    if (tags.untagged === undefined) decide('tags');
    else decide('tags', REASONS.tags);
    return false;
  }
  // With anyOf, `untagged: true` also admits conversations without tags (filter-match.ts).
  const admitsUntagged = tags.untagged === true && allOf.length === 0;
  if (admitsUntagged) {
    decide('tags', REASONS.tags);
    return false;
  }
  if (anyOf.length === 0) return contradiction();
  if (allOf.length === 0) {
    native.labels = anyOf;
    decide('tags');
    return false;
  }
  // Having every allOf tag implies having one of anyOf when they share a tag.
  if (anyOf.some((tag) => allOf.includes(tag))) return requireAll(allOf, native, decide);
  native.labels = [allOf[0]!];
  decide('tags', REASONS.tags);
  return false;
}

/** One label of an all-of set is a narrower superset than any-of the whole set. */
function requireAll(allOf: string[], native: ChatwootListParams, decide: Decide): boolean {
  native.labels = [allOf[0]!];
  if (allOf.length === 1) decide('tags');
  else decide('tags', REASONS.tags);
  return false;
}

function planChannels(filter: SourceFilter, native: ChatwootListParams, decide: Decide): boolean {
  const channels = filter.channels;
  if (channels === undefined) return false;
  // `none` never matches: every conversation belongs to an inbox.
  const ids = unique(channels.ids ?? []).filter((id) => DECIMAL.test(id));
  if (ids.length === 0) {
    decide('channels', REASONS.noChannel);
    return true;
  }
  if (ids.length === 1) {
    native.inboxId = ids[0]!;
    decide('channels');
  } else {
    decide('channels', REASONS.channels);
  }
  return false;
}

/** The query string of one list page. */
export function listQuery(params: ChatwootListParams, page: number): Record<string, QueryValue> {
  return {
    status: params.status,
    assignee_type: params.assigneeType === 'all' ? undefined : params.assigneeType,
    'labels[]': params.labels.length > 0 ? params.labels : undefined,
    inbox_id: params.inboxId ?? undefined,
    q: params.q ?? undefined,
    sort_by: 'last_activity_at_desc',
    page,
  };
}

/** Chatwoot counts before its assignee filter: the count that matches is picked by assignee type. */
export function countKey(params: ChatwootListParams): CountKey {
  if (params.assigneeType === 'unassigned') return 'unassigned_count';
  if (params.assigneeType === 'assigned') return 'assigned_count';
  return 'all_count';
}

/** The native params of a plan made by `planFilter`; anything else is a programming error. */
export function nativeParams(plan: FilterPlan): ChatwootListParams {
  const native = plan.native as Partial<ChatwootListParams> | null;
  if (!native || typeof native.status !== 'string' || !Array.isArray(native.labels)) {
    throw new TypeError('chatwoot: the list plan was not made by the chatwoot planFilter');
  }
  return native as ChatwootListParams;
}

/**
 * Chatwoot puts `q` into `ILIKE '%q%'` as it is, so `%` and `_` would be wildcards; the
 * unified search is a plain substring, so they (and the escape character) are escaped.
 */
export function literalIlike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function isEmptyRange(range: TimeRange): boolean {
  return range.from !== undefined && range.to !== undefined && range.to <= range.from;
}

function isAdminId(id: string): boolean {
  return DECIMAL.test(id) || (id.startsWith(BOT_ID_PREFIX) && DECIMAL.test(id.slice(BOT_ID_PREFIX.length)));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

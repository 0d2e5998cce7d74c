import { castInteger, ilikeContains, type ListParams } from './params.js';
import { MESSAGE_TYPE, PRIORITY_RANK, type CwConversation, type CwUser } from './records.js';
import type { ChatwootStore } from './store.js';

/**
 * `ConversationFinder#perform` (providers.md 2.2), step by step in its order: the
 * order is what makes the counts ignore `assignee_type` and `q` switch the status
 * filter off.
 */

export interface Counts {
  mine_count: number;
  assigned_count: number;
  unassigned_count: number;
  all_count: number;
}

export type FinderResult = { conversations: CwConversation[]; counts: Counts } | { teamNotFound: true };

type Compare = (a: CwConversation, b: CwConversation) => number;

const lastActivityDesc: Compare = (a, b) => b.lastActivityAt - a.lastActivityAt;
const createdAsc: Compare = (a, b) => a.createdAt - b.createdAt;

/** `col DIR NULLS LAST` followed by a second key. */
function nullsLast(key: (c: CwConversation) => number | null, dir: 1 | -1, then: Compare): Compare {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === null || y === null) return x === y ? then(a, b) : x === null ? 1 : -1;
    return (x - y) * dir || then(a, b);
  };
}

const priority = (c: CwConversation) => (c.priority === null ? null : PRIORITY_RANK[c.priority]);
const waitingSince = (c: CwConversation) => c.waitingSince;

/**
 * `SORT_OPTIONS` (sort_handler.rb). None of them ends in an id: rows equal on every key
 * keep storage order (the sort is stable over `store.conversations`), or come back in a
 * fresh order per request when the store's `tieOrder` shuffles.
 */
const SORTS: Record<string, Compare> = {
  last_activity_at_desc: lastActivityDesc,
  last_activity_at_asc: (a, b) => a.lastActivityAt - b.lastActivityAt,
  created_at_desc: (a, b) => b.createdAt - a.createdAt,
  created_at_asc: createdAsc,
  priority_desc: nullsLast(priority, -1, lastActivityDesc),
  priority_asc: nullsLast(priority, 1, lastActivityDesc),
  waiting_since_asc: nullsLast(waitingSince, 1, createdAsc),
  waiting_since_desc: nullsLast(waitingSince, -1, createdAsc),
  // Aliases "to be removed in v3.5.0", still served.
  latest: lastActivityDesc,
  sort_on_created_at: createdAsc,
  sort_on_priority: nullsLast(priority, -1, lastActivityDesc),
  sort_on_waiting_since: nullsLast(waitingSince, 1, createdAsc),
};

/** Steps 1 to 9: the filtered set and its counts, before `assignee_type`. */
function filtered(store: ChatwootStore, user: CwUser, params: ListParams): FinderResult {
  // 1. `assigned_inboxes.where(id: inbox_id)`: a non-member inbox gives nothing, not a 403.
  const assigned = store.assignedInboxIds(user);
  const inboxIds = params.inboxIds?.filter((id): id is number => id !== null && assigned.includes(id));
  // 2. `teams.find(team_id)` raises before anything else is looked at.
  let teamId: number | undefined;
  if (params.teamId !== undefined) {
    const id = castInteger(params.teamId);
    const team = id === null ? undefined : store.team(id);
    if (!team) return { teamNotFound: true };
    teamId = team.id;
  }
  // 3. Base set, then the permission filter (agents: member inboxes only), then the type.
  let set = store.conversations.filter((c) => inboxIds === undefined || inboxIds.includes(c.inboxId));
  set = set.filter((c) => assigned.includes(c.inboxId));
  if (params.conversationType === 'mention') {
    const mentioned = new Set(store.mentions.filter((m) => m.userId === user.id).map((m) => m.conversationId));
    set = set.filter((c) => mentioned.has(c.displayId));
  } else if (params.conversationType === 'participating') {
    // Replaces the base set: inbox and permission filters no longer apply.
    set = store.conversations.filter((c) => c.participantIds.includes(user.id));
  } else if (params.conversationType === 'unattended') {
    set = set.filter((c) => c.firstReplyCreatedAt === null || c.waitingSince !== null);
  }
  // 4. Status, default open, skipped entirely when `q` is given (even empty).
  if (params.q === undefined && params.status !== 'all') {
    const status = params.status ?? 'open';
    set = set.filter((c) => c.status === status);
  }
  // 5. Team.
  if (teamId !== undefined) set = set.filter((c) => c.teamId === teamId);
  // 6. Labels, any-of (`tagged_with(labels, any: true)`, case-insensitive).
  if (params.labels !== undefined) {
    const wanted = new Set(params.labels.map((l) => l.toLowerCase()));
    set = set.filter((c) => c.labels.some((l) => wanted.has(l.toLowerCase())));
  }
  // 7. Message search over incoming and outgoing messages (private notes included).
  if (params.q !== undefined) {
    const pattern = ilikeContains(params.q);
    const searchable = (type: number) => type === MESSAGE_TYPE.incoming || type === MESSAGE_TYPE.outgoing;
    set = set.filter((c) => store.messagesOf(c.displayId).some((m) => searchable(m.messageType) && m.content !== null && pattern.test(m.content)));
  }
  // 8. Contact inbox source id.
  if (params.sourceId !== undefined) set = set.filter((c) => c.sourceId === params.sourceId);
  // 9. Counts, before the assignee filter. A bot assignee leaves `assignee_id` NULL.
  const unassigned = set.filter((c) => c.assigneeId === null).length;
  const counts: Counts = {
    mine_count: set.filter((c) => c.assigneeId === user.id).length,
    assigned_count: set.length - unassigned,
    unassigned_count: unassigned,
    all_count: set.length,
  };
  return { conversations: set, counts };
}

/** The index: steps 1 to 12. */
export function findConversations(store: ChatwootStore, user: CwUser, params: ListParams, pageSize: number): FinderResult {
  const result = filtered(store, user, params);
  if ('teamNotFound' in result) return result;
  // 10. Assignee.
  let set = result.conversations;
  if (params.assigneeType === 'me') set = set.filter((c) => c.assigneeId === user.id);
  else if (params.assigneeType === 'unassigned') set = set.filter((c) => c.assigneeId === null);
  else if (params.assigneeType === 'assigned') set = set.filter((c) => c.assigneeId !== null);
  // 11. Sort (unknown `sort_by` falls back to the default).
  const compare = params.sortBy !== undefined && Object.hasOwn(SORTS, params.sortBy) ? SORTS[params.sortBy]! : lastActivityDesc;
  set = store.tieOrder.arrange([...set].sort(compare), compare);
  // 12. `updated_within` returns every row updated since, unpaginated; else a page.
  if (params.updatedWithin !== undefined) {
    const sinceUs = (store.now() - params.updatedWithin * 1000) * 1000;
    return { conversations: set.filter((c) => c.updatedAtUs > sinceUs), counts: result.counts };
  }
  const start = (params.page - 1) * pageSize;
  return { conversations: set.slice(start, start + pageSize), counts: result.counts };
}

/** `GET .../conversations/meta`: the same counts, no rows. */
export function countConversations(store: ChatwootStore, user: CwUser, params: ListParams): Counts | { teamNotFound: true } {
  const result = filtered(store, user, params);
  return 'teamNotFound' in result ? result : result.counts;
}

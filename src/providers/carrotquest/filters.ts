import type { Capability, FilterPart, PartDecision, SourceFilter } from '../../domain/filter.js';
import { presentParts } from '../../domain/filter.js';
import type { Conversation } from '../../domain/model.js';
import type { FilterPlan } from '../adapter.js';

/**
 * Unified filter -> `GET /apps/{app}/conversations` parameters (providers.md 1.3 and 4.3,
 * docs/provider-assumptions.md). Pure. Every native query is a superset of the true
 * matches; what it cannot say exactly is declared LOCAL and checked by Parley.
 */

/** The list parameters the plan sets; absent means "do not filter". */
export interface CarrotListQuery {
  closed?: boolean;
  delayed?: boolean;
  answered?: boolean;
  /** An admin id, or `'0'` with `include_not_assigned` for "unassigned". */
  assigned?: string;
  include_not_assigned?: true;
  /** Conversations carrying every one of these tags. */
  tags?: string[];
  /** Alone (never with `tags`): only conversations without tags. */
  include_no_tags?: true;
  /** A channel id, or `'0'` for "no channel". */
  channel?: string;
}

/** `FilterPlan.native` for Carrot quest. */
export interface CarrotListNative {
  query: CarrotListQuery;
  /**
   * The list runs newest activity first, so once a row's last activity (epoch µs) falls
   * below the `updated` range's start, no later row can match: the scan stops there.
   */
  stopBelowMicros?: number;
}

type Lifecycle = 'OPEN' | 'SNOOZED' | 'CLOSED';
const LIFECYCLES: readonly Lifecycle[] = ['OPEN', 'SNOOZED', 'CLOSED'];

/**
 * The status sets one Carrot query covers under every reading of its docs, smallest first.
 * Unified SNOOZED is "not closed and delayed" (providers.md 4.2), hence `closed=false` next
 * to `delayed=true`. `delayed=false` is never sent: read as "no delay set" it would drop
 * open conversations whose delay ran out, and it may drop closed ones that keep a delay
 * (docs/provider-assumptions.md). "Not snoozed" is checked on each row instead; a looser
 * `delayed=true` than assumed only brings rows that check drops.
 */
const COVERING_SETS: ReadonlyArray<{ set: Lifecycle[]; query: CarrotListQuery }> = [
  { set: ['SNOOZED'], query: { closed: false, delayed: true } },
  { set: ['CLOSED'], query: { closed: true } },
  { set: ['OPEN', 'SNOOZED'], query: { closed: false } },
  { set: [...LIFECYCLES], query: {} },
];

interface PartPlan {
  capability: Capability;
  reason?: string;
  query?: CarrotListQuery;
  /** The part alone provably matches nothing on this source. */
  empty?: boolean;
}

const NATIVE: PartPlan = { capability: 'NATIVE' };

export function planCarrotFilter(filter: SourceFilter): FilterPlan {
  const parts = presentParts(filter);
  const lifecycle = planLifecycle(filter, parts);
  const plans = new Map<FilterPart, PartPlan>(lifecycle.plans);
  for (const part of parts) if (!plans.has(part)) plans.set(part, planPart(filter, part));

  const native: CarrotListNative = { query: { ...lifecycle.query } };
  const decisions: PartDecision[] = [];
  let empty = false;
  for (const part of parts) {
    const plan = plans.get(part) ?? NATIVE;
    decisions.push(plan.reason ? { part, capability: plan.capability, reason: plan.reason } : { part, capability: plan.capability });
    Object.assign(native.query, plan.query);
    empty ||= plan.empty === true;
  }
  if (filter.updated?.from !== undefined) native.stopBelowMicros = filter.updated.from * 1000;
  const plan: FilterPlan = filter.channels ? { decisions, native, unknownParts } : { decisions, native };
  return empty ? { ...plan, empty: true } : plan;
}

/**
 * The list carries `channel` only when the optional-field parameter (whose name the docs
 * do not give) was understood: a row without the key cannot say which channel it is in.
 */
function unknownParts(conversation: Conversation): FilterPart[] {
  const raw = conversation.raw;
  return raw !== null && typeof raw === 'object' && 'channel' in raw ? [] : ['channels'];
}

/**
 * `status`, `closed` and `delayed` all constrain one thing, the unified status, so they are
 * planned together: intersect the sets they allow, send the smallest query that covers the
 * intersection, and keep NATIVE every part that query already guarantees.
 */
function planLifecycle(
  filter: SourceFilter,
  parts: readonly FilterPart[],
): { plans: Array<[FilterPart, PartPlan]>; query: CarrotListQuery } {
  const allowed = new Map<FilterPart, Lifecycle[]>();
  // PENDING has no Carrot quest counterpart: no conversation is ever PENDING here.
  if (filter.status) allowed.set('status', LIFECYCLES.filter((state) => filter.status?.includes(state)));
  if (filter.closed !== undefined) allowed.set('closed', filter.closed ? ['CLOSED'] : ['OPEN', 'SNOOZED']);
  if (filter.delayed !== undefined) allowed.set('delayed', filter.delayed ? ['SNOOZED'] : ['OPEN', 'CLOSED']);
  const lifecycleParts = parts.filter((part) => allowed.has(part));
  if (lifecycleParts.length === 0) return { plans: [], query: {} };

  const wanted = LIFECYCLES.filter((state) => [...allowed.values()].every((set) => set.includes(state)));
  if (wanted.length === 0) {
    return { plans: lifecycleParts.map((part) => [part, { capability: 'NATIVE', empty: true }]), query: {} };
  }

  const cover = COVERING_SETS.find(({ set }) => wanted.every((state) => set.includes(state))) ?? COVERING_SETS[COVERING_SETS.length - 1]!;
  const plans = lifecycleParts.map((part): [FilterPart, PartPlan] => {
    const guaranteed = cover.set.every((state) => allowed.get(part)!.includes(state));
    const plan: PartPlan = guaranteed
      ? { capability: 'NATIVE' }
      : { capability: 'LOCAL', reason: LIFECYCLE_REASONS[part] ?? LIFECYCLE_REASONS.status! };
    return [part, plan];
  });
  return { plans, query: cover.query };
}

const LIFECYCLE_REASONS: Partial<Record<FilterPart, string>> = {
  status:
    'Carrot quest selects open and snoozed (closed=false), snoozed (delayed=true) or closed conversations, but not this set in one query: Parley checks the status of each conversation',
  delayed:
    'Carrot quest\'s delayed=false may also drop conversations whose delay ran out or that were closed while delayed: Parley checks each conversation\'s delay',
};

function planPart(filter: SourceFilter, part: FilterPart): PartPlan {
  switch (part) {
    case 'answered':
      return { capability: 'NATIVE', query: { answered: filter.answered! } };
    case 'assignee':
      return planAssignee(filter.assignee!);
    case 'tags':
      return planTags(filter.tags!);
    case 'channels':
      return planChannels(filter.channels!);
    case 'botManaged':
      // The default list already leaves out conversations an assistant manages.
      if (!filter.botManaged) return NATIVE;
      return {
        capability: 'UNSUPPORTED',
        reason:
          'Carrot quest lists assistant-managed conversations only one assistant type at a time, and such a request ignores every other filter',
      };
    case 'search':
      return { capability: 'UNSUPPORTED', reason: 'Carrot quest\'s API has no message search' };
    case 'updated':
      return {
        capability: 'LOCAL',
        reason: 'Carrot quest has no activity-time filter: Parley checks the last activity and stops reading past the range',
      };
    case 'created':
      return { capability: 'LOCAL', reason: 'Carrot quest has no creation-time filter: Parley checks each conversation' };
    default:
      return NATIVE;
  }
}

/** Carrot quest ids are positive decimals; any other id names nothing here (and `0` is a sentinel). */
function nativeIds(ids: readonly string[] | undefined): string[] {
  return [...new Set((ids ?? []).filter((id) => /^[1-9][0-9]*$/.test(id)))];
}

function planAssignee(assignee: NonNullable<SourceFilter['assignee']>): PartPlan {
  const ids = nativeIds(assignee.adminIds);
  const unassigned = assignee.unassigned === true;
  if (ids.length === 0 && !unassigned) return { capability: 'NATIVE', empty: true };
  if (ids.length === 0) return { capability: 'NATIVE', query: { assigned: '0', include_not_assigned: true } };
  if (ids.length === 1) {
    return { capability: 'NATIVE', query: { assigned: ids[0]!, ...(unassigned ? { include_not_assigned: true as const } : {}) } };
  }
  return {
    capability: 'LOCAL',
    reason: 'Carrot quest filters by one admin at a time: Parley checks the assignee of each conversation',
  };
}

/**
 * Carrot quest's `tags` means "has all of these" and `include_no_tags` (only without
 * `tags`) means "has none". The unified part (see filter-match.ts) is rewritten into those.
 */
function planTags(tags: NonNullable<SourceFilter['tags']>): PartPlan {
  const allOf = [...new Set(tags.allOf ?? [])];
  const anyOf = tags.anyOf ? [...new Set(tags.anyOf)] : undefined;
  const local = (reason: string, prefilter: string[]): PartPlan => ({
    capability: 'LOCAL',
    reason,
    ...(prefilter.length > 0 ? { query: { tags: prefilter } } : {}),
  });
  const allTags = (list: string[]): PartPlan => ({ capability: 'NATIVE', ...(list.length > 0 ? { query: { tags: list } } : {}) });

  if (anyOf === undefined) {
    if (tags.untagged === undefined) return allTags(allOf);
    if (tags.untagged) return allOf.length > 0 ? { capability: 'NATIVE', empty: true } : { capability: 'NATIVE', query: { include_no_tags: true } };
    if (allOf.length > 0) return allTags(allOf);
    return local('Carrot quest cannot ask for "any tag at all": Parley checks the tags of each conversation', []);
  }
  // "No tags" can only satisfy anyOf when allOf asks for nothing.
  const orUntagged = tags.untagged === true && allOf.length === 0;
  if (anyOf.length === 0) return orUntagged ? { capability: 'NATIVE', query: { include_no_tags: true } } : { capability: 'NATIVE', empty: true };
  if (orUntagged) {
    return local('Carrot quest cannot combine tags with "untagged" in one query: Parley checks the tags of each conversation', []);
  }
  if (anyOf.some((tag) => allOf.includes(tag))) return allTags(allOf);
  if (anyOf.length === 1) return allTags([...allOf, anyOf[0]!]);
  return local('Carrot quest matches conversations with all given tags, not any of them: Parley checks the tags of each conversation', allOf);
}

function planChannels(channels: NonNullable<SourceFilter['channels']>): PartPlan {
  const ids = nativeIds(channels.ids);
  const none = channels.none === true;
  if (ids.length === 0 && !none) return { capability: 'NATIVE', empty: true };
  if (ids.length === 0) return { capability: 'NATIVE', query: { channel: '0' } };
  if (ids.length === 1 && !none) return { capability: 'NATIVE', query: { channel: ids[0]! } };
  return {
    capability: 'LOCAL',
    reason: 'Carrot quest filters by one channel (or "no channel") at a time: Parley checks the channel of each conversation',
  };
}

/** The query-string form: booleans as `true`/`false`, arrays JSON-encoded (providers.md 1.1). */
export function listQueryParams(query: CarrotListQuery): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params[key] = Array.isArray(value) ? JSON.stringify(value) : String(value);
  }
  return params;
}

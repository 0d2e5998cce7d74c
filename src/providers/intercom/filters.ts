import type { Capability, FilterPart, PartDecision, SourceFilter } from '../../domain/filter.js';
import { presentParts } from '../../domain/filter.js';
import type { FilterPlan } from '../adapter.js';

/**
 * Unified filter -> a `POST /conversations/search` query (docs/providers/intercom.md
 * section 4). Pure. Every native query is a superset of the true matches; what it cannot
 * say exactly is LOCAL and checked by Parley on each mapped conversation.
 */

export type SearchValue = string | number | boolean | Array<string | number>;
/** One `{field, operator, value}` filter; the plan's filters are AND-ed. */
export interface SearchFilter {
  field: string;
  operator: '=' | '!=' | 'IN' | 'NIN' | '>' | '<';
  value: SearchValue;
}

/** `FilterPlan.native` for Intercom. */
export interface IntercomListNative {
  filters: SearchFilter[];
  /** Tag names the query must match, turned into tag ids (a workspace lookup) when the list is read. */
  tags?: { anyOf?: string[]; allOf?: string[] };
}

/** A day and a second either side: date comparisons may be inclusive, strict or cut to the workspace's day (section 11). */
export const DATE_MARGIN_SECONDS = 2 * 86_400 + 1;
/** Filters one AND group may hold (section 4), less the ones the plan may add beside the tags. */
const MAX_TAG_FILTERS = 8;

type State = 'open' | 'snoozed' | 'closed';
const STATES: readonly State[] = ['open', 'snoozed', 'closed'];
const UNIFIED: Record<string, State> = { OPEN: 'open', SNOOZED: 'snoozed', CLOSED: 'closed' };

interface PartPlan {
  capability: Capability;
  reason?: string;
  filters?: SearchFilter[];
  tags?: IntercomListNative['tags'];
  empty?: boolean;
}

const NATIVE: PartPlan = { capability: 'NATIVE' };
const DECIMAL = /^[1-9][0-9]{0,19}$/;

export function planIntercomFilter(filter: SourceFilter): FilterPlan {
  const parts = presentParts(filter);
  const state = planState(filter);
  const native: IntercomListNative = { filters: state.filters ? [...state.filters] : [] };
  const decisions: PartDecision[] = [];
  let empty = state.empty === true;
  for (const part of parts) {
    const plan = state.parts.includes(part) ? NATIVE : planPart(filter, part);
    decisions.push(plan.reason ? { part, capability: plan.capability, reason: plan.reason } : { part, capability: plan.capability });
    native.filters.push(...(plan.filters ?? []));
    if (plan.tags) native.tags = plan.tags;
    empty ||= plan.empty === true;
  }
  return empty ? { decisions, native, empty: true } : { decisions, native };
}

/** `status`, `closed` and `delayed` all narrow the one `state` field: one `state IN [...]` says them all. */
function planState(filter: SourceFilter): { parts: FilterPart[]; filters?: SearchFilter[]; empty?: boolean } {
  const sets: Array<[FilterPart, readonly State[]]> = [];
  // PENDING has no Intercom counterpart: no conversation is ever PENDING here.
  if (filter.status) sets.push(['status', filter.status.flatMap((status) => (UNIFIED[status] ? [UNIFIED[status]!] : []))]);
  if (filter.closed !== undefined) sets.push(['closed', filter.closed ? ['closed'] : ['open', 'snoozed']]);
  if (filter.delayed !== undefined) sets.push(['delayed', filter.delayed ? ['snoozed'] : ['open', 'closed']]);
  if (sets.length === 0) return { parts: [] };
  const wanted = STATES.filter((state) => sets.every(([, allowed]) => allowed.includes(state)));
  const parts = sets.map(([part]) => part);
  if (wanted.length === 0) return { parts, empty: true };
  return wanted.length === STATES.length ? { parts } : { parts, filters: [{ field: 'state', operator: 'IN', value: wanted }] };
}

function planPart(filter: SourceFilter, part: FilterPart): PartPlan {
  switch (part) {
    case 'answered':
      return { capability: 'LOCAL', reason: 'Intercom cannot search by who replied last: Parley checks each conversation' };
    case 'assignee':
      return planIds(filter.assignee!.adminIds, filter.assignee!.unassigned === true, 'admin_assignee_id', 'assignee');
    case 'channels':
      return planIds(filter.channels!.ids, filter.channels!.none === true, 'team_assignee_id', 'team inbox');
    case 'tags':
      return planTags(filter.tags!);
    case 'botManaged':
      return { capability: 'NATIVE', filters: [{ field: 'ai_agent_participated', operator: '=', value: filter.botManaged! }] };
    case 'search':
      return {
        capability: 'UNSUPPORTED',
        reason: 'Intercom searches only the first message of a conversation, word by word, not every message',
      };
    case 'updated':
      return { capability: 'LOCAL', reason: DATE_REASON, filters: dateFilters('updated_at', filter.updated!) };
    case 'created':
      return { capability: 'LOCAL', reason: DATE_REASON, filters: dateFilters('created_at', filter.created!) };
    default:
      return NATIVE;
  }
}

const DATE_REASON = 'Intercom compares dates at a precision its docs leave open: Parley asks for a wider range and checks each conversation';

/** A range widened by `DATE_MARGIN_SECONDS`, in unix seconds. */
function dateFilters(field: string, range: { from?: number; to?: number }): SearchFilter[] {
  const filters: SearchFilter[] = [];
  if (range.from !== undefined) filters.push({ field, operator: '>', value: Math.max(0, Math.floor(range.from / 1000) - DATE_MARGIN_SECONDS) });
  if (range.to !== undefined) filters.push({ field, operator: '<', value: Math.ceil(range.to / 1000) + DATE_MARGIN_SECONDS });
  return filters;
}

/**
 * Admin and team ids are matched natively. "Nobody" is not: the docs give no search value
 * for it (the model says null, an example shows 0), so Parley checks it itself.
 */
function planIds(ids: readonly string[] | undefined, none: boolean, field: string, noun: string): PartPlan {
  const valid = [...new Set((ids ?? []).filter((id) => DECIMAL.test(id)))];
  if (valid.length === 0 && !none) return { capability: 'NATIVE', empty: true };
  if (none) return { capability: 'LOCAL', reason: `Intercom has no documented search for "no ${noun}": Parley checks each conversation` };
  return { capability: 'NATIVE', filters: [{ field, operator: 'IN', value: valid.map(Number) }] };
}

/** `tag_ids` takes ids, so tag names are matched by id once the workspace's tags are known. */
function planTags(tags: NonNullable<SourceFilter['tags']>): PartPlan {
  const allOf = [...new Set(tags.allOf ?? [])];
  const anyOf = tags.anyOf ? [...new Set(tags.anyOf)] : undefined;
  const local = (reason: string): PartPlan => ({ capability: 'LOCAL', reason });
  if (tags.untagged === true) {
    // "No tag at all" is OR-ed with anyOf; allOf rules it out, which leaves allOf AND anyOf.
    if (allOf.length === 0) return local('Intercom has no documented search for "no tags": Parley checks the tags of each conversation');
    if (anyOf === undefined || anyOf.length === 0) return { capability: 'NATIVE', empty: true };
  } else if (anyOf !== undefined && anyOf.length === 0) return { capability: 'NATIVE', empty: true };
  if (anyOf === undefined && allOf.length === 0) {
    return tags.untagged === false ? local('Intercom has no documented search for "any tag": Parley checks the tags of each conversation') : NATIVE;
  }
  if (allOf.length > MAX_TAG_FILTERS) return local(`Intercom allows 15 filters per group: Parley checks more than ${MAX_TAG_FILTERS} required tags itself`);
  return { capability: 'NATIVE', tags: { ...(anyOf ? { anyOf } : {}), ...(allOf.length > 0 ? { allOf } : {}) } };
}

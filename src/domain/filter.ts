import type { ConversationStatus } from './model.js';

/** A time range over epoch milliseconds; either bound may be open. `from` is inclusive, `to` exclusive. */
export interface TimeRange {
  from?: number;
  to?: number;
}

/**
 * The unified conversation filter as one source sees it: ids are already the source's
 * native ids (the gateway decodes global ids and drops the ones of other sources).
 * Absent means "do not filter"; within one part the alternatives are OR-ed, and the parts
 * are AND-ed together (design.md section 5).
 */
export interface SourceFilter {
  /** Any of these statuses. */
  status?: ConversationStatus[];
  closed?: boolean;
  /** True: the last reply came from an admin. False: from the user. */
  answered?: boolean;
  /** True: snoozed / delayed now. */
  delayed?: boolean;
  /** Assigned to any of `adminIds`, or (with `unassigned`) assigned to nobody. */
  assignee?: { adminIds?: string[]; unassigned?: boolean };
  /**
   * `anyOf`: at least one of these tags. `allOf`: every one of these tags.
   * `untagged: true`: no tag at all (OR-ed with `anyOf`); `untagged: false`: at least one tag.
   */
  tags?: { anyOf?: string[]; allOf?: string[]; untagged?: boolean };
  /** In any of `ids`, or (with `none`) in no channel. */
  channels?: { ids?: string[]; none?: boolean };
  /** True: managed by a bot or assistant; false: by people. */
  botManaged?: boolean;
  /** Case-insensitive substring of any user or admin message. */
  search?: string;
  updated?: TimeRange;
  created?: TimeRange;
}

export const FILTER_PARTS = [
  'status',
  'closed',
  'answered',
  'delayed',
  'assignee',
  'tags',
  'channels',
  'botManaged',
  'search',
  'updated',
  'created',
] as const satisfies readonly (keyof SourceFilter)[];
export type FilterPart = (typeof FILTER_PARTS)[number];

/**
 * NATIVE: the provider filters. LOCAL: Parley checks the mapped conversations it fetched
 * (possibly after a coarser native pre-filter). UNSUPPORTED: Parley cannot answer it for
 * this source, which is then skipped with the reason.
 */
export type Capability = 'NATIVE' | 'LOCAL' | 'UNSUPPORTED';

export interface PartDecision {
  part: FilterPart;
  capability: Capability;
  /** Why a part is LOCAL or UNSUPPORTED, in words a client developer understands. */
  reason?: string;
}

/** A filter part as the schema's FilterPart enum spells it (`botManaged` -> `BOT_MANAGED`). */
export function filterPartName(part: FilterPart): string {
  return part.replace(/([A-Z])/g, '_$1').toUpperCase();
}

/** The parts of a filter that are present (not undefined). */
export function presentParts(filter: SourceFilter): FilterPart[] {
  return FILTER_PARTS.filter((part) => filter[part] !== undefined);
}

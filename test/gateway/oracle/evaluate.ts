import type { Facts, Ref, SourceId, Status, World } from './facts.js';
import { SOURCE_IDS } from './facts.js';

/**
 * A `ConversationFilter` in oracle terms (admins and channels as `Ref`s, times as epoch
 * ms), evaluated by brute force over the facts. The semantics are the ones documented in
 * `src/domain/filter-match.ts` and on the GraphQL input types, re-stated here independently.
 */
export interface FilterSpec {
  sources?: SourceId[];
  status?: Status[];
  closed?: boolean;
  answered?: boolean;
  delayed?: boolean;
  assignee?: { ids?: Ref[]; unassigned?: boolean };
  tags?: { anyOf?: string[]; allOf?: string[]; untagged?: boolean };
  channels?: { ids?: Ref[]; none?: boolean };
  botManaged?: boolean;
  search?: string;
  /** `from` inclusive, `to` exclusive, epoch ms. */
  updated?: { from?: number; to?: number };
  created?: { from?: number; to?: number };
}

const sameRef = (a: Ref, source: SourceId, nativeId: string) => a.source === source && a.nativeId === nativeId;

function inRange(millis: number, range: { from?: number; to?: number } | undefined): boolean {
  if (!range) return true;
  return (range.from === undefined || millis >= range.from) && (range.to === undefined || millis < range.to);
}

/** Whether a conversation passes every part of the filter. */
export function matches(c: Facts, f: FilterSpec): boolean {
  if (f.sources && !f.sources.includes(c.source)) return false;
  // Any of the listed statuses; an empty list allows none.
  if (f.status && !f.status.includes(c.status)) return false;
  if (f.closed !== undefined && c.closed !== f.closed) return false;
  // A conversation without any reply was answered by nobody: it matches neither value.
  if (f.answered !== undefined && c.lastReplier !== (f.answered ? 'ADMIN' : 'USER')) return false;
  // "Snoozed now".
  if (f.delayed !== undefined && (c.status === 'SNOOZED') !== f.delayed) return false;
  if (f.assignee) {
    const ok =
      c.assigneeId === null
        ? f.assignee.unassigned === true
        : (f.assignee.ids ?? []).some((ref) => sameRef(ref, c.source, c.assigneeId!));
    if (!ok) return false;
  }
  if (f.tags) {
    const { anyOf, allOf, untagged } = f.tags;
    if (allOf && !allOf.every((t) => c.tags.includes(t))) return false;
    if (anyOf) {
      if (!anyOf.some((t) => c.tags.includes(t)) && !(untagged === true && c.tags.length === 0)) return false;
    } else if (untagged !== undefined && (c.tags.length === 0) !== untagged) {
      return false;
    }
  }
  if (f.channels) {
    const ok =
      c.channelId === null
        ? f.channels.none === true
        : (f.channels.ids ?? []).some((ref) => sameRef(ref, c.source, c.channelId!));
    if (!ok) return false;
  }
  if (f.botManaged !== undefined && c.botManaged !== f.botManaged) return false;
  if (f.search !== undefined) {
    // Case-insensitive substring of a message: literal text, no wildcards.
    const needle = f.search.toLowerCase();
    if (c.searchable === null || !c.searchable.some((text) => text.toLowerCase().includes(needle))) return false;
  }
  if (!inRange(c.lastUpdateMicros / 1000, f.updated)) return false;
  if (!inRange(c.createdAt, f.created)) return false;
  return true;
}

/** Native ids compare as numbers when both are decimal (Carrot quest and Chatwoot ids). */
function compareNativeIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** design.md section 4: last activity descending, then source id, then native id (descending, as Carrot quest's keyset). */
export function mergedOrder(a: Facts, b: Facts): number {
  if (a.lastUpdateMicros !== b.lastUpdateMicros) return b.lastUpdateMicros - a.lastUpdateMicros;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return compareNativeIds(b.nativeId, a.nativeId);
}

/**
 * The edges the gateway must return, in order, for the sources that answer the filter
 * (`answering`: the sources not skipped).
 */
export function expectedEdges(world: World, f: FilterSpec, answering: readonly SourceId[] = SOURCE_IDS): string[] {
  return answering
    .flatMap((source) => world[source])
    .filter((c) => matches(c, f))
    .sort(mergedOrder)
    .map((c) => `${c.source}:${c.nativeId}`);
}

import { GraphQLError } from 'graphql';
import type { RequestContext } from '../gateway/context.js';
import { badUserInput, sourceFailure } from '../errors/graphql-errors.js';
import { ErrorCode } from '../errors/codes.js';
import { filterPartName, type FilterPart, type SourceFilter } from '../domain/filter.js';
import { createOrderGuard, RowOrderError } from './order-guard.js';
import { createRowCheck } from './row-check.js';
import { noteDroppedRows, settleDroppedRows } from './dropped-rows.js';
import type { Conversation, Included } from '../domain/model.js';
import { CursorError, fingerprintFilter, type CursorState } from '../pagination/cursor.js';
import { mergeFeeds, type Feed, type FeedReport, type MergedEdge } from '../pagination/merge.js';
import { mergedTotalCount, settleSourceCount, type SourceCount } from './source-count.js';
import type { OrderKey } from '../pagination/order.js';
import type { FilterPlan, SourceClient } from '../providers/adapter.js';

/**
 * The planner behind `Query.conversations` (design.md sections 2, 4, 5): per allowed
 * source, split the filter into native and local parts, read the sources in parallel,
 * merge them in the one order and report, per source, what happened.
 */

export const MAX_PAGE_SIZE = 100;

/** The client's filter after global ids were decoded: ids are node keys (`source:native`). */
export interface UnifiedFilter extends Omit<SourceFilter, 'assignee' | 'channels'> {
  sources?: string[];
  assignee?: { adminKeys?: Array<{ sourceId: string; nativeId: string }>; unassigned?: boolean };
  channels?: { channelKeys?: Array<{ sourceId: string; nativeId: string }>; none?: boolean };
}

export type SourceStatus = 'OK' | 'PARTIAL' | 'FAILED' | 'SKIPPED';

export interface SourceReport extends SourceCount {
  sourceId: string;
  status: SourceStatus;
  reason: string | null;
  pushedDown: FilterPart[];
  appliedLocally: FilterPart[];
  unsupported: FilterPart[];
  upstreamCalls: number;
  upstreamMs: number;
  errorCode: string | null;
  /** Rows this source's payloads held that could not be read and were left out (`ListPage.dropped`). */
  droppedRows?: number;
}

export interface ConversationPage {
  edges: Array<MergedEdge<Conversation>>;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  endState: CursorState;
  fingerprint: string;
  totalCount: number | null;
  sources: SourceReport[];
}

export interface ListArgs {
  filter: UnifiedFilter;
  first: number;
  after: string | null;
}

/** Hook for priming the request's loaders with what list payloads carried. */
export type Primer = (sourceId: string, included: Included) => void;

export async function listConversations(context: RequestContext, args: ListArgs, prime: Primer): Promise<ConversationPage> {
  if (!Number.isInteger(args.first) || args.first < 0 || args.first > MAX_PAGE_SIZE) {
    throw badUserInput(`\`first\` must be between 0 and ${MAX_PAGE_SIZE}; got ${args.first}`, { argument: 'first' });
  }
  const sourceIds = chooseSources(context, args.filter.sources);
  const fingerprint = fingerprintFilter(args.filter);
  const state = decodeCursor(context, args.after, fingerprint);

  const reports = new Map<string, SourceReport>();
  const feeds: Array<Feed<Conversation>> = [];
  const totals: Totals = { counts: new Map(), leaked: new Set(), empty: new Set() };

  for (const sourceId of sourceIds) {
    const source = context.gateway.sources.get(sourceId)!;
    const sourceFilter = filterForSource(args.filter, sourceId);
    const plan = source.planFilter(sourceFilter);
    const report = describePlan(sourceId, plan);
    reports.set(sourceId, report);

    if (report.unsupported.length > 0) {
      report.errorCode = ErrorCode.FILTER_UNSUPPORTED;
      context.sourceErrors.push(
        new GraphQLError(`Source "${sourceId}" was skipped: ${report.reason}`, {
          path: ['conversations'],
          extensions: { code: ErrorCode.FILTER_UNSUPPORTED, source: sourceId, unsupported: report.unsupported.map(filterPartName) },
        }),
      );
      continue;
    }
    if (plan.empty) {
      totals.empty.add(sourceId);
      continue;
    }
    const resume = state.sources[sourceId] ?? null;
    if (resume !== null && resume !== false && !source.isValidHint(resume)) {
      throw badUserInput('`after` is not a cursor of this connection', { argument: 'after' });
    }
    feeds.push(createFeed(context, source, plan, sourceFilter, state.after, resume, report, totals, prime));
  }

  const merged = await mergeFeeds(feeds, {
    first: args.first,
    after: state.after,
    maxPagesPerSource: context.gateway.config.maxPagesPerSource,
  });

  settleReports(context, merged.feeds, reports, totals);
  const totalCount = mergedTotalCount([...reports.values()]);

  return {
    edges: merged.edges,
    hasNextPage: merged.hasNextPage,
    hasPreviousPage: state.after !== null,
    endState: merged.endState,
    fingerprint,
    totalCount,
    sources: [...reports.values()],
  };
}

/** Each source's final status, reason and count, once the merge has read what it needed. */
function settleReports(
  context: RequestContext,
  outcomes: ReadonlyMap<string, FeedReport>,
  reports: Map<string, SourceReport>,
  totals: Totals,
): void {
  for (const [sourceId, outcome] of outcomes) {
    const report = reports.get(sourceId)!;
    report.status = outcome.outcome;
    if (outcome.outcome === 'PARTIAL') {
      report.reason = `read ${outcome.pages} upstream pages (the per-request budget) without finishing the page; the cursor resumes there`;
    }
    if (outcome.outcome === 'FAILED') {
      const error = sourceFailure(outcome.error, sourceId, ['conversations']);
      report.errorCode = String(error.extensions.code);
      report.reason = error.message;
      context.sourceErrors.push(error);
      // The rows before the disorder were merged in order; the source stopped there.
      if (outcome.error instanceof RowOrderError) report.status = 'PARTIAL';
    }
    settleDroppedRows(report);
  }

  for (const report of reports.values()) {
    const count = settleSourceCount({
      ...report,
      providerCount: totals.counts.get(report.sourceId),
      leaked: totals.leaked.has(report.sourceId),
      nothingCanMatch: totals.empty.has(report.sourceId),
    });
    Object.assign(report, count);
  }
}

function createFeed(
  context: RequestContext,
  source: SourceClient,
  plan: FilterPlan,
  filter: SourceFilter,
  after: OrderKey | null,
  resume: CursorState['sources'][string],
  report: SourceReport,
  totals: Totals,
  prime: Primer,
): Feed<Conversation> {
  const local = report.appliedLocally;
  const scope = {
    ...context.scope,
    onCall: (call: Parameters<NonNullable<typeof context.scope.onCall>>[0]) => {
      report.upstreamCalls += 1;
      report.upstreamMs += call.durationMs;
      context.scope.onCall?.(call);
    },
  };
  // NATIVE parts are checked again on each row; a row one lets through means the
  // provider's own count cannot be exact either.
  const check = createRowCheck(source, filter, plan, { ...report, onLeak: () => totals.leaked.add(source.sourceId) });
  const inOrder = createOrderGuard(source.sourceId);
  return {
    sourceId: source.sourceId,
    resume,
    accepts: (conversation) => check.accepts(conversation),
    ...(filter.updated?.from !== undefined ? { floorMicros: filter.updated.from * 1000 } : {}),
    fetch: async (continuation, want) => {
      const hint = resume === false ? null : resume;
      // With parts checked here, an unknown share of each page is dropped: read whole
      // provider pages so the page budget is spent on rows, not on round trips.
      const pageSize = local.length > 0 ? Math.max(want, MAX_PAGE_SIZE) : want;
      const page = await source.listConversations({ plan, after, hint, continuation, want: pageSize }, scope);
      if (!totals.counts.has(source.sourceId)) totals.counts.set(source.sourceId, page.totalCount);
      prime(source.sourceId, page.included);
      noteDroppedRows(report, page.dropped, context.sourceErrors);
      inOrder(page.rows);
      const rows = await check.complete(page.rows, scope);
      return {
        next: page.next,
        rows: rows.map((row) => ({
          key: { micros: row.conversation.lastUpdateMicros, sourceId: source.sourceId, nativeId: row.conversation.nativeId },
          item: row.conversation,
          hint: row.hint,
        })),
      };
    },
  };
}

/** What the list answers said about each source's count, gathered while the page is read. */
interface Totals {
  counts: Map<string, number | null>;
  leaked: Set<string>;
  /** Sources whose plan can match nothing: not asked, and exactly zero. */
  empty: Set<string>;
}

function chooseSources(context: RequestContext, requested: string[] | undefined): string[] {
  const readable = [...context.gateway.sources.keys()].filter((id) => context.allowedSources.has(id));
  if (requested === undefined) return readable;
  for (const id of requested) {
    if (!readable.includes(id)) throw badUserInput(`unknown source "${id}"`, { argument: 'filter.sources' });
  }
  return readable.filter((id) => requested.includes(id));
}

function decodeCursor(context: RequestContext, after: string | null, fingerprint: string): CursorState {
  if (after === null) return { after: null, sources: {} };
  try {
    return context.gateway.cursors.decode(after, fingerprint);
  } catch (error) {
    if (error instanceof CursorError) throw badUserInput(`invalid \`after\` cursor: ${error.message}`, { argument: 'after', problem: error.problem });
    throw error;
  }
}

/** The filter as one source sees it: only its own admins and channels, as native ids. */
export function filterForSource(filter: UnifiedFilter, sourceId: string): SourceFilter {
  const { sources: _sources, assignee, channels, ...rest } = filter;
  const own = (keys: Array<{ sourceId: string; nativeId: string }> | undefined) =>
    keys?.filter((k) => k.sourceId === sourceId).map((k) => k.nativeId);
  const result: SourceFilter = { ...rest };
  if (assignee) {
    const adminIds = own(assignee.adminKeys);
    result.assignee = { ...(adminIds ? { adminIds } : {}), ...(assignee.unassigned !== undefined ? { unassigned: assignee.unassigned } : {}) };
  }
  if (channels) {
    const ids = own(channels.channelKeys);
    result.channels = { ...(ids ? { ids } : {}), ...(channels.none !== undefined ? { none: channels.none } : {}) };
  }
  return result;
}

function describePlan(sourceId: string, plan: FilterPlan): SourceReport {
  const pick = (capability: string) => plan.decisions.filter((d) => d.capability === capability);
  const unsupported = pick('UNSUPPORTED');
  return {
    sourceId,
    status: unsupported.length > 0 ? 'SKIPPED' : 'OK',
    reason: unsupported.length > 0 ? unsupported.map((d) => `${d.part}: ${d.reason ?? 'not supported by this provider'}`).join('; ') : null,
    pushedDown: pick('NATIVE').map((d) => d.part),
    appliedLocally: pick('LOCAL').map((d) => d.part),
    unsupported: unsupported.map((d) => d.part),
    upstreamCalls: 0,
    upstreamMs: 0,
    errorCode: null,
    totalCount: null,
    exact: false,
    atMost: null,
  };
}

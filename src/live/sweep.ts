import type { Conversation } from '../domain/model.js';
import type { CallScope } from '../http/upstream-client.js';
import type { FilterPlan, SourceClient } from '../providers/adapter.js';
import type { LeaseLocks } from '../shared-state/index.js';
import type { Logger } from '../ops/log.js';
import type { Detector } from './detector.js';
import type { Watermarks } from './watermarks.js';
import { runUnderLease, type LeaseRunner } from './lease-runner.js';

/**
 * The reconcile sweep (and the poller of a source without push): one runner per source
 * across replicas, under a lease. Every interval it lists, through the source's ordinary
 * list, the conversations updated since the last sweep (minus an overlap) and diffs each
 * row: a change a push lost is found here, late but not missed. The first sweep of a
 * source only records where detection begins, so start-up does not flood subscribers.
 */
export interface SweepOptions {
  source: SourceClient;
  locks: LeaseLocks;
  watermarks: Watermarks;
  detector: Detector;
  holder: string;
  intervalMs: number;
  /** `poll` for a source with no push: its events were found by polling, not missed by push. */
  origin: 'sweep' | 'poll';
  logger: Logger;
  now?: () => number;
}

/** List pages one sweep reads at most; a bigger backlog is read by the next sweep. */
const MAX_PAGES = 20;
/** Rows diffed at once. */
const PARALLEL_DIFFS = 4;
const READ_BUDGET_MS = 20_000;

export function startSweeper(options: SweepOptions): LeaseRunner {
  return runUnderLease({
    locks: options.locks,
    name: `live:sweep:${options.source.sourceId}`,
    holder: options.holder,
    intervalMs: options.intervalMs,
    logger: options.logger,
    run: () => sweepOnce(options),
  });
}

/** One sweep; resolves with the events it found. */
export async function sweepOnce(options: SweepOptions): Promise<number> {
  const { source, watermarks } = options;
  const now = options.now ?? Date.now;
  const startedAt = now();
  const mark = await watermarks.sweptUntil(source.sourceId);
  if (mark === null) {
    await watermarks.startOf(source.sourceId);
    await watermarks.setSweptUntil(source.sourceId, startedAt);
    return 0;
  }
  // Providers stamp updates with their own clock and list them a moment late: read again a bit before.
  const from = mark - Math.max(5000, options.intervalMs);
  const rows = await listUpdatedSince(source, from, now);
  let found = 0;
  let failed = false;
  for (let i = 0; i < rows.length; i += PARALLEL_DIFFS) {
    const counts = await Promise.allSettled(
      rows.slice(i, i + PARALLEL_DIFFS).map((conversation) =>
        options.detector.detect({
          sourceId: source.sourceId,
          hint: { conversationId: conversation.nativeId, version: Math.floor(conversation.lastUpdateMicros / 1000) },
          origin: options.origin,
          conversation,
        }),
      ),
    );
    for (const count of counts) {
      if (count.status === 'fulfilled') found += count.value;
      else failed = true;
    }
  }
  // A row that could not be diffed is read again by the next sweep.
  if (!failed) await watermarks.setSweptUntil(source.sourceId, startedAt);
  return found;
}

async function listUpdatedSince(source: SourceClient, from: number, now: () => number): Promise<Conversation[]> {
  let plan: FilterPlan = source.planFilter({ updated: { from } });
  if (plan.decisions.some((decision) => decision.capability === 'UNSUPPORTED')) plan = source.planFilter({});
  const scope: CallScope = { signal: AbortSignal.timeout(READ_BUDGET_MS), deadline: now() + READ_BUDGET_MS, requestId: 'live:sweep' };
  const rows: Conversation[] = [];
  let continuation: unknown = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await source.listConversations({ plan, after: null, hint: null, continuation, want: source.pageSizes.conversations }, scope);
    let older = false;
    for (const row of answer.rows) {
      // Newest first: the first row older than `from` ends the sweep.
      if (row.conversation.lastUpdateMicros / 1000 >= from) rows.push(row.conversation);
      else older = true;
    }
    if (older || answer.next === null) break;
    continuation = answer.next;
  }
  return rows;
}

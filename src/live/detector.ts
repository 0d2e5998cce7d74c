import type { Conversation, ConversationPart } from '../domain/model.js';
import type { ChangeHint } from '../providers/live-contract.js';
import type { CallScope } from '../http/upstream-client.js';
import type { SourceClient } from '../providers/adapter.js';
import type { KeyValueStore, LeaseLocks } from '../shared-state/index.js';
import type { Logger } from '../ops/log.js';
import type { EventLog } from './event-log.js';
import type { EventOrigin, LiveEvent } from './events.js';
import { diffSnapshot, snapshotOf, type Snapshot } from './snapshot.js';
import type { LiveObserver } from './live-metrics.js';
import type { Watermarks } from './watermarks.js';

/**
 * Turns hints into events. For one conversation at a time across replicas (a lease
 * lock), it reads the conversation and the parts after the last one it saw, compares them
 * with the stored snapshot, appends one event per difference, then stores the new
 * snapshot. A hint therefore never is an event by itself: the same change hinted by a
 * webhook and by the sweep is found once, by whichever read comes first.
 */

export interface DetectRequest {
  sourceId: string;
  hint: ChangeHint;
  origin: EventOrigin;
  /** The conversation as a list just read it (a sweep row), saving the read. */
  conversation?: Conversation;
}

export interface Detector {
  /** Resolves with the events appended; rejects when the source cannot be read (the sweep retries). */
  detect(request: DetectRequest): Promise<number>;
}

export interface DetectorOptions {
  sources: ReadonlyMap<string, SourceClient>;
  keyValues: KeyValueStore;
  locks: LeaseLocks;
  log: EventLog;
  watermarks: Watermarks;
  holder: string;
  logger: Logger;
  observer?: LiveObserver;
  now?: () => number;
}

const SNAPSHOT_TTL_MS = 7 * 24 * 3600_000;
const LOCK_LEASE_MS = 30_000;
/** How long a hint waits for another replica's diff of the same conversation to finish. */
const LOCK_WAIT_MS = 20_000;
const LOCK_RETRY_MS = 25;
/** The upstream time one diff may take. */
const READ_BUDGET_MS = 15_000;
/** Parts pages read per diff at most; a longer backlog is read by the next hint. */
const MAX_PART_PAGES = 20;
/** Times providers round to whole seconds. */
const CLOCK_SLACK_MS = 1000;
/** `PartsRequest.first` at most. */
const MAX_PARTS_PER_PAGE = 100;

/**
 * A provider that keeps whole seconds stamps a second change in the same second with the
 * same time: an unchanged `lastUpdate` proves nothing new only once the previous read came a
 * full tick after it. Until then the parts are read again (the next hint or sweep row does it).
 */
function mayHideSameTick(previous: Snapshot): boolean {
  return previous.readAtMs === undefined || previous.readAtMs < previous.lastUpdateMicros / 1000 + CLOCK_SLACK_MS;
}

export const snapshotKey = (sourceId: string, conversationId: string) => `live:snapshot:${sourceId}:${conversationId}`;

export function createDetector(options: DetectorOptions): Detector {
  const now = options.now ?? Date.now;
  const { keyValues, log } = options;

  async function diff(source: SourceClient, request: DetectRequest): Promise<number> {
    const key = snapshotKey(source.sourceId, request.hint.conversationId);
    const stored = await keyValues.get(key);
    const previous = stored === null ? null : (JSON.parse(stored) as Snapshot);
    const version = request.hint.version;
    // A reordered push: what it announces is older than what was already read.
    if (previous && version !== undefined && version * 1000 < previous.lastUpdateMicros) return 0;
    const scope: CallScope = { signal: AbortSignal.timeout(READ_BUDGET_MS), deadline: now() + READ_BUDGET_MS, requestId: `live:${request.origin}` };
    const conversation = request.conversation ?? (await source.getConversations([request.hint.conversationId], scope))[0]?.conversation;
    if (!conversation) return 0;
    // A sweep row read before a later diff stored a newer state says nothing new.
    if (previous && conversation.lastUpdateMicros < previous.lastUpdateMicros) return 0;
    const readAt = now();
    const moved = !previous || conversation.lastUpdateMicros > previous.lastUpdateMicros || mayHideSameTick(previous);
    const parts = moved ? await newParts(source, conversation.nativeId, previous?.lastPartId ?? null, scope) : [];
    // Providers that keep whole seconds stamp a change made just after the start before it.
    const watermark = (await options.watermarks.startOf(source.sourceId)) - CLOCK_SLACK_MS;
    const changes = diffSnapshot(previous, conversation, parts, watermark);
    const at = conversation.lastUpdateMicros / 1000;
    for (const change of changes) {
      const event: LiveEvent = {
        kind: change.kind,
        sourceId: source.sourceId,
        conversationId: conversation.nativeId,
        occurredAt: change.part?.createdAt ?? at,
        origin: request.origin,
        conversation,
        part: change.part,
      };
      await log.append(event);
      options.observer?.onEvent(event, now());
    }
    const lastPartId = parts.at(-1)?.nativeId ?? previous?.lastPartId ?? conversation.lastPart?.nativeId ?? null;
    await keyValues.set(key, JSON.stringify(snapshotOf(conversation, lastPartId, readAt)), SNAPSHOT_TTL_MS);
    return changes.length;
  }

  return {
    async detect(request) {
      const source = options.sources.get(request.sourceId);
      if (!source) return 0;
      const lease = await acquire(`live:diff:${request.sourceId}:${request.hint.conversationId}`);
      try {
        return await diff(source, request);
      } finally {
        await lease.release();
      }
    },
  };

  async function acquire(name: string) {
    const until = now() + LOCK_WAIT_MS;
    for (;;) {
      const lease = await options.locks.acquire(name, options.holder, LOCK_LEASE_MS);
      if (lease) return lease;
      if (now() > until) throw new Error(`conversation ${name} stayed locked by another replica for ${LOCK_WAIT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    }
  }
}

/** The parts after `afterPartId`, oldest first; a part equal to it is never counted again. */
async function newParts(source: SourceClient, conversationId: string, afterPartId: string | null, scope: CallScope): Promise<ConversationPart[]> {
  const parts: ConversationPart[] = [];
  let after = afterPartId;
  for (let page = 0; page < MAX_PART_PAGES; page += 1) {
    const answer = await source.listParts({ conversationId, first: Math.min(MAX_PARTS_PER_PAGE, source.pageSizes.parts), afterPartId: after }, scope);
    const fresh = answer.parts.filter((part) => part.nativeId !== afterPartId && !parts.some((seen) => seen.nativeId === part.nativeId));
    parts.push(...fresh);
    if (!answer.hasNextPage || answer.parts.length === 0) break;
    after = answer.parts.at(-1)!.nativeId;
  }
  return parts;
}

import { SourceError } from '../http/errors.js';
import type { KeyValueStore } from '../shared-state/kv-store.js';
import { createRecordStore, writeKeyOf, type RecordStore, type StoredRecord } from './records.js';

/**
 * Exactly once, for every provider alike (providers-live-and-write.md B.5): a write is sent
 * once per (caller, idempotencyKey); a repeat replays what was recorded; a send that may
 * have reached the provider is never sent again before a read-back has not found it and the
 * provider has had `settleMs` to land it. Nothing is retried automatically.
 */

/** Where an attempt stands: the marks a read-back finds the write by. */
export interface Attempt {
  readonly marker: string;
  readonly markerNumber: number;
  readonly firstAttemptAt: number;
}

/** What a send or a read-back found: `record` is stored (JSON), `live` serves this response only. */
export interface Landed<R, L> {
  readonly record: R;
  readonly live: L | null;
  /** False when the change was already in effect before this call. @default true */
  readonly changed?: boolean;
}

export interface WritePlan<R, L> {
  /** Who is writing (a digest of the API key, or the anonymous caller). */
  readonly caller: string;
  readonly idempotencyKey: string;
  /** The digest of the mutation and its input (`fingerprintOf`). */
  readonly fingerprint: string;
  /** Makes the write, once. Throws what the provider or the lock said. */
  send(attempt: Attempt): Promise<Landed<R, L>>;
  /** Whether a write of this attempt is in effect at the provider: what it found, else null. */
  readBack(attempt: Attempt): Promise<Landed<R, L> | null>;
}

export type Outcome<R, L> =
  | { readonly kind: 'APPLIED'; readonly record: R; readonly live: L | null }
  | { readonly kind: 'ALREADY_APPLIED'; readonly record: R; readonly live: L | null }
  | { readonly kind: 'UNCERTAIN' }
  | { readonly kind: 'IDEMPOTENCY_KEY_REUSED' }
  | { readonly kind: 'IN_PROGRESS' };

export interface CoordinatorOptions {
  store: KeyValueStore;
  /** A send whose fate is unknown may be repeated only once its last attempt is this old. */
  settleMs: number;
  /** An IN_FLIGHT record older than this lost its replica: it counts as UNCERTAIN. */
  staleMs: number;
  /** How long a repeat waits for a running call with its key to settle. @default 2000 */
  waitMs?: number;
  /** @default 50 */
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The idempotency store could not answer before anything was sent: nothing happened. */
export class WritesUnavailable extends Error {
  override readonly name = 'WritesUnavailable';
}

export interface WriteCoordinator {
  run<R, L>(plan: WritePlan<R, L>, signal?: AbortSignal): Promise<Outcome<R, L>>;
}

/** Rounds of "the record changed under us" before giving up with IN_PROGRESS. */
const MAX_ROUNDS = 5;

export function createWriteCoordinator(options: CoordinatorOptions): WriteCoordinator {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const waitMs = options.waitMs ?? 2000;
  const pollMs = options.pollMs ?? 50;
  return {
    async run<R, L>(plan: WritePlan<R, L>, signal?: AbortSignal): Promise<Outcome<R, L>> {
      const records = createRecordStore<R>(options.store);
      const key = writeKeyOf(plan.caller, plan.idempotencyKey);
      const attemptOf = (stored: StoredRecord<R>): Attempt => ({ marker: key.marker, markerNumber: key.markerNumber, firstAttemptAt: stored.record.firstAttemptAt });
      const send = (stored: StoredRecord<R>) => sendOnce(records, key.storeKey, stored, plan, attemptOf(stored));

      for (let round = 0; round < MAX_ROUNDS; round += 1) {
        const stored = await beforeSending(() => records.read(key.storeKey));
        if (!stored) {
          const claimed = await beforeSending(() => records.claim(key.storeKey, plan.fingerprint, now()));
          if (claimed) return send(claimed);
          continue;
        }
        if (stored.record.fingerprint !== plan.fingerprint) return { kind: 'IDEMPOTENCY_KEY_REUSED' };
        if (stored.record.state === 'DONE') return { kind: 'ALREADY_APPLIED', record: stored.record.result as R, live: null };
        if (stored.record.state === 'IN_FLIGHT' && now() - stored.record.attemptAt <= options.staleMs) {
          // A duplicate sent at the same time: wait briefly for the first to settle.
          const settled = await beforeSending(() => waitWhileInFlight(records, key.storeKey, stored!, { waitMs, pollMs, sleep, ...(signal ? { signal } : {}) }));
          if (!settled) return { kind: 'IN_PROGRESS' };
          continue;
        }
        // UNCERTAIN, or IN_FLIGHT whose replica died: read back before anything else.
        const found = await plan.readBack(attemptOf(stored));
        if (found) {
          const from = stored;
          const done = await beforeSending(() => records.replace(key.storeKey, from, { state: 'DONE', attemptAt: from.record.attemptAt, result: found.record }));
          if (done) return { kind: 'ALREADY_APPLIED', record: found.record, live: found.live };
          continue;
        }
        if (now() - stored.record.attemptAt < options.settleMs) return { kind: 'UNCERTAIN' };
        const from = stored;
        const retaken = await beforeSending(() => records.replace(key.storeKey, from, { state: 'IN_FLIGHT', attemptAt: now() }));
        if (retaken) return send(retaken);
      }
      return { kind: 'IN_PROGRESS' };
    },
  };
}

/** Sends once and records the outcome: DONE, UNCERTAIN, or (surely not applied) released. */
async function sendOnce<R, L>(
  records: RecordStore<R>,
  storeKey: string,
  claimed: StoredRecord<R>,
  plan: WritePlan<R, L>,
  attempt: Attempt,
): Promise<Outcome<R, L>> {
  let landed: Landed<R, L>;
  try {
    landed = await plan.send(attempt);
  } catch (error) {
    if (!mayHaveApplied(error)) {
      await records.release(storeKey, claimed).catch(() => undefined);
      throw error;
    }
    const found = await plan.readBack(attempt).catch(() => null);
    if (found) {
      await records.replace(storeKey, claimed, { state: 'DONE', attemptAt: claimed.record.attemptAt, result: found.record }).catch(() => null);
      return { kind: 'APPLIED', record: found.record, live: found.live };
    }
    await records.replace(storeKey, claimed, { state: 'UNCERTAIN', attemptAt: claimed.record.attemptAt }).catch(() => null);
    return { kind: 'UNCERTAIN' };
  }
  // The write stands even when the record cannot be stored: a later repeat reads it back.
  await records.replace(storeKey, claimed, { state: 'DONE', attemptAt: claimed.record.attemptAt, result: landed.record }).catch(() => null);
  return landed.changed === false ? { kind: 'ALREADY_APPLIED', record: landed.record, live: landed.live } : { kind: 'APPLIED', record: landed.record, live: landed.live };
}

/**
 * Only a failure that says so was surely not applied: the provider refused it, it never left,
 * or Parley stopped before sending. Anything else (a bug after the request went, say) is
 * treated as possibly applied, and read back.
 */
export function mayHaveApplied(error: unknown): boolean {
  if (error instanceof SourceError) return error.details.maybeApplied === true;
  return !(error instanceof Error && SURELY_UNSENT.has(error.name));
}

/** Errors raised before or instead of a send (`WriteRefused`, `UpstreamNotFound`, a busy lock, bad input). */
const SURELY_UNSENT: ReadonlySet<string> = new Set(['WriteRefused', 'UpstreamNotFound', 'ConversationBusy', 'WriteRejected']);

async function waitWhileInFlight<R>(
  records: RecordStore<R>,
  storeKey: string,
  stored: StoredRecord<R>,
  wait: { waitMs: number; pollMs: number; sleep: (ms: number) => Promise<void>; signal?: AbortSignal },
): Promise<boolean> {
  for (let waited = 0; waited < wait.waitMs && !wait.signal?.aborted; waited += wait.pollMs) {
    await wait.sleep(wait.pollMs);
    const current = await records.read(storeKey);
    if (current?.raw !== stored.raw) return true;
  }
  return false;
}

async function beforeSending<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new WritesUnavailable('the idempotency store did not answer; nothing was sent', { cause: error });
  }
}

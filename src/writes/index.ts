import type { LeaseLocks } from '../shared-state/lease-lock.js';
import type { KeyValueStore } from '../shared-state/kv-store.js';
import type { ConversationLockOptions } from './conversation-lock.js';
import { createWriteCoordinator, type WriteCoordinator } from './coordinator.js';
import { createWriteEvents, type WriteEvents } from './events.js';

/** What the gateway keeps for writes: the coordinator over the shared store, the lock settings, the event feed. */
export interface WriteServices {
  readonly coordinator: WriteCoordinator;
  readonly events: WriteEvents;
  readonly lock: ConversationLockOptions;
}

/** How long past its request's deadline an IN_FLIGHT record is trusted to belong to a live replica. */
const STALE_MARGIN_MS = 5000;

export function createWriteServices(options: { store: KeyValueStore; locks: LeaseLocks; replicaId: string; settleMs: number; deadlineMs: number }): WriteServices {
  return {
    coordinator: createWriteCoordinator({ store: options.store, settleMs: options.settleMs, staleMs: options.deadlineMs + STALE_MARGIN_MS }),
    events: createWriteEvents(),
    // A lock outlives no request: a holder that died frees it by the time its request would have ended.
    lock: { locks: options.locks, holder: options.replicaId, leaseMs: options.deadlineMs + STALE_MARGIN_MS },
  };
}

import type { Lease, LeaseLocks } from '../shared-state/lease-lock.js';

/**
 * Read-modify-write of a whole tag set (Chatwoot labels, Re:amaze `tag_list`) under a lock
 * per conversation that every replica shares, so two concurrent changes lose no tag.
 */

/** Another write held the conversation for longer than a caller should wait. */
export class ConversationBusy extends Error {
  override readonly name = 'ConversationBusy';
}

export interface ConversationLockOptions {
  locks: LeaseLocks;
  /** Names this replica in the lease. */
  holder: string;
  /** How long one write may hold the lock: past it, a crashed holder's lock frees itself. */
  leaseMs: number;
  /** How long to wait for the lock. @default 3000 */
  waitMs?: number;
  /** @default 25 */
  pollMs?: number;
}

export async function withConversationLock<T>(options: ConversationLockOptions, sourceId: string, conversationId: string, work: () => Promise<T>): Promise<T> {
  const name = `write:${sourceId}:${conversationId}`;
  const waitMs = options.waitMs ?? 3000;
  const pollMs = options.pollMs ?? 25;
  let lease: Lease | null = null;
  for (let waited = 0; !lease; waited += pollMs) {
    lease = await options.locks.acquire(name, options.holder, options.leaseMs);
    if (lease) break;
    if (waited >= waitMs) throw new ConversationBusy(`another write holds this conversation's tags`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  try {
    return await work();
  } finally {
    await lease.release().catch(() => undefined);
  }
}

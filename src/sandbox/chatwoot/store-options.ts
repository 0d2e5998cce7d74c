import type { CwConversation, CwMessage, CwStatus } from './records.js';

/** What the Chatwoot simulator's store is started with, and what its live changes take and report. */

export interface StoreOptions {
  seed: number;
  now: () => number;
  conversations: number;
  accountId: number;
  /** The list page size: the world puts a tie group across each page boundary. @default 25 */
  pageSize?: number;
  /** Equal-key rows in a fresh order per request. @default false */
  shuffleTies?: boolean;
}

export interface CreateConversationOptions {
  /** @default 'open' (a new conversation starts open) */
  status?: CwStatus;
  /** Epoch ms, for `status: 'snoozed'`. @default null (snoozed until the next reply) */
  snoozedUntil?: number | null;
  /** Put it in this inbox instead of the generated one. */
  inboxId?: number;
}

/**
 * What the model callbacks Chatwoot's webhooks hang on saw: a conversation created, a
 * saved change to its row (`after_update_commit`), a message created. Observers run
 * synchronously, inside the change, so they must only record and schedule.
 */
export type StoreChange =
  | { kind: 'conversation_created'; conversation: CwConversation }
  | { kind: 'conversation_saved'; conversation: CwConversation }
  | { kind: 'message_created'; conversation: CwConversation; message: CwMessage };

export interface ReplyOptions {
  from: 'contact' | 'agent';
  body?: string;
}

export interface SetStatusOptions {
  snoozedUntil?: number | null;
  /**
   * Chatwoot records a status change as an activity message, which moves
   * `last_activity_at` to now. Turn off to change the status in place.
   * @default true
   */
  activityMessage?: boolean;
}

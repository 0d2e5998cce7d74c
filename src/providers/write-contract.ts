import type { CallScope } from '../http/upstream-types.js';
import type { Conversation, ConversationPart, Included } from '../domain/model.js';
import type { WriteAction } from './write-actions.js';

/**
 * The write side of a source: what an agent does to a conversation all day. Adapters
 * implement it; the write coordinator (`src/writes/`) adds what is the same for every
 * provider (idempotency records, per-conversation locks, read-back after an uncertain
 * send, capability and permission checks). An adapter sends each write exactly once and
 * never retries it.
 */

export { WRITE_ACTIONS, type WriteAction } from './write-actions.js';

export type StatusTarget =
  | { readonly status: 'OPEN' }
  | { readonly status: 'PENDING' }
  | { readonly status: 'CLOSED' }
  /** `until` null: until the customer writes again, where the provider allows it. */
  | { readonly status: 'SNOOZED'; readonly until: Date | null };

export interface ReplyRequest {
  /** The conversation's native id. */
  readonly conversationId: string;
  readonly body: string;
  readonly format: 'TEXT' | 'MARKDOWN';
  /** An internal note, seen by agents only. */
  readonly internal: boolean;
  /** Public https URLs, where the provider takes attachments by URL. */
  readonly attachmentUrls: readonly string[];
  /**
   * Parley's mark of this logical reply (lowercase letters, digits and `-`, at most 40
   * characters), the same on every attempt: sent where the provider stores one
   * (Re:amaze `origin_id`, Carrot quest `external_id`), so a read-back can find the reply.
   */
  readonly marker: string;
  /** The same mark as a 32-bit unsigned number, for providers that take only that (Carrot quest `random_id`). */
  readonly markerNumber: number;
  /** Epoch ms when the first attempt of this reply started: a read-back ignores older messages. */
  readonly firstAttemptAt: number;
  /** The caller closes the conversation with this reply (else providers that auto-resolve are told not to). */
  readonly closes: boolean;
}

export interface TagChange {
  readonly add: readonly string[];
  readonly remove: readonly string[];
}

export interface WriteResult {
  /** False when the provider says the change was already in effect (the tag was there, the status was set). */
  readonly changed: boolean;
  /** The conversation as the provider holds it after the write (read back where the answer lacks it), or null if it cannot be read. */
  readonly detail: { readonly conversation: Conversation; readonly included: Included } | null;
}

export interface ReplyResult extends WriteResult {
  /** The part the reply created, mapped as `listParts` maps it. */
  readonly part: ConversationPart | null;
}

/**
 * One source's writes, acting as `actor` (the provider's own identity schema, parsed from
 * `apiKeys[].actAs`). Errors: a coded `SourceError` as for reads (a failure after the
 * request may have reached the provider has `details.maybeApplied`), `UpstreamNotFound`
 * for an unknown conversation, `WriteRefused` for what the provider refused and the
 * caller can fix.
 */
export interface SourceWriter<Actor = unknown> {
  /** The actions this source can do (the provider's declaration, narrowed by the source's config). */
  readonly actions: ReadonlySet<WriteAction>;
  reply(request: ReplyRequest, actor: Actor, scope: CallScope): Promise<ReplyResult>;
  /**
   * The reply `request` made, if the provider holds it: found by its marker, or where the
   * provider drops markers by author, body and time. Null: not there (yet).
   */
  findReply(request: ReplyRequest, actor: Actor, scope: CallScope): Promise<ConversationPart | null>;
  setStatus(conversationId: string, target: StatusTarget, actor: Actor, scope: CallScope): Promise<WriteResult>;
  /** `adminId` is the admin's native id; null unassigns. */
  assign(conversationId: string, adminId: string | null, actor: Actor, scope: CallScope): Promise<WriteResult>;
  /**
   * Adds and removes tags. Providers that only replace the whole set read it first and write
   * the new set: the caller holds the conversation's lock, shared by replicas, meanwhile.
   */
  updateTags(conversationId: string, change: TagChange, actor: Actor, scope: CallScope): Promise<WriteResult>;
  markRead(conversationId: string, actor: Actor, scope: CallScope): Promise<WriteResult>;
}

/** What a provider refused that the caller can fix (a tag too long, an admin it does not know). */
export class WriteRefused extends Error {
  override readonly name = 'WriteRefused';
  constructor(
    /** A stable reason: `INVALID_TAG`, `UNKNOWN_ADMIN`, `INVALID_STATUS`, `REJECTED`. */
    readonly reason: 'INVALID_TAG' | 'UNKNOWN_ADMIN' | 'INVALID_STATUS' | 'REJECTED',
    message: string,
    /** The input field the reason is about, e.g. `add` or `assigneeId`. */
    readonly field?: string,
  ) {
    super(message);
  }
}

import type { Conversation, ConversationPart } from '../domain/model.js';
import type { CallScope } from '../http/upstream-types.js';
import type { ConversationDetail } from '../providers/adapter.js';
import type { ReplyRequest, StatusTarget, TagChange, WriteResult } from '../providers/write-contract.js';
import type { WriteTarget } from './access.js';
import type { Attempt, Landed, WritePlan } from './coordinator.js';

/**
 * Each mutation as a plan for the coordinator: how it is sent once, and how a read-back
 * tells whether it is in effect. Set-style writes have an absolute target (a status, an
 * assignee, tags present and absent) that a fresh read of the conversation is compared with;
 * a reply is found by its marker.
 */

/** What an idempotency record keeps of a write: enough to answer a repeat. */
export interface RecordedWrite {
  /** The part a reply created, when known. */
  readonly partId?: string | null;
}

/** What this response may show without another call. */
export interface LiveWrite {
  readonly detail: ConversationDetail | null;
  readonly part: ConversationPart | null;
}

export type MutationPlan = WritePlan<RecordedWrite, LiveWrite>;
export type Landing = Landed<RecordedWrite, LiveWrite>;

interface PlanBase {
  readonly caller: string;
  readonly idempotencyKey: string;
  readonly fingerprint: string;
  readonly target: WriteTarget;
  readonly scope: CallScope;
}

/** A set-style write: `send` makes it, `matches` says whether a conversation shows it. */
export function setStylePlan(base: PlanBase, send: () => Promise<WriteResult>, matches: (conversation: Conversation) => boolean): MutationPlan {
  const { target, scope } = base;
  return {
    caller: base.caller,
    idempotencyKey: base.idempotencyKey,
    fingerprint: base.fingerprint,
    async send() {
      const result = await send();
      return { record: {}, live: { detail: result.detail, part: null }, changed: result.changed };
    },
    async readBack() {
      const [detail] = await target.source.getConversations([target.conversationId], scope);
      return detail && matches(detail.conversation) ? { record: {}, live: { detail, part: null } } : null;
    },
  };
}

export const statusMatches = (status: StatusTarget) => (conversation: Conversation) => conversation.status === status.status;

export const assigneeMatches = (adminId: string | null) => (conversation: Conversation) => conversation.assigneeId === adminId;

export const tagsMatch = (change: TagChange) => (conversation: Conversation) =>
  change.add.every((tag) => conversation.tags.includes(tag)) && change.remove.every((tag) => !conversation.tags.includes(tag));

/** Read means nothing left unread; a provider that does not count unread messages cannot confirm it. */
export const readMatches = () => (conversation: Conversation) => conversation.unreadCount === 0;

export type ReplyInput = Omit<ReplyRequest, 'marker' | 'markerNumber' | 'firstAttemptAt' | 'conversationId'>;

/** A reply: sent with the attempt's marker, found again by it. */
export function replyPlan(base: PlanBase, input: ReplyInput): MutationPlan {
  const { target, scope } = base;
  const requestOf = (attempt: Attempt): ReplyRequest => ({ ...input, conversationId: target.conversationId, ...attempt });
  return {
    caller: base.caller,
    idempotencyKey: base.idempotencyKey,
    fingerprint: base.fingerprint,
    async send(attempt) {
      const result = await target.writer.reply(requestOf(attempt), target.actor, scope);
      return { record: { partId: result.part?.nativeId ?? null }, live: { detail: result.detail, part: result.part }, changed: result.changed };
    },
    async readBack(attempt) {
      const part = await target.writer.findReply(requestOf(attempt), target.actor, scope);
      return part ? { record: { partId: part.nativeId }, live: { detail: null, part } } : null;
    },
  };
}

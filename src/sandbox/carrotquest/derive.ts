import type { ConversationRecord, PartRecord, PartType } from './records.js';

/**
 * The conversation fields that follow from its parts (providers.md 1.6). Recomputed
 * after every change so a live reply moves `last_update`, `reply_last_type`, the
 * counters and the part `read` flags together, as one write on the real API would.
 */

const REPLY_TYPES: ReadonlySet<PartType> = new Set(['reply_user', 'reply_admin']);
/** `important_part_last` skips system parts but keeps notes and bot replies (providers.md 1.6). */
const IMPORTANT_TYPES: ReadonlySet<PartType> = new Set(['reply_user', 'reply_admin', 'note', 'auto_reply']);
/** An operator or a bot acting in the thread has read what the user wrote before. */
const ADMIN_ACTS: ReadonlySet<PartType> = new Set(['reply_admin', 'auto_reply', 'note']);

export function refreshConversation(conversation: ConversationRecord): void {
  const parts = conversation.parts;
  const last = parts[parts.length - 1];
  if (!last) throw new Error(`conversation ${conversation.id} has no parts`);

  const replyLast = findLast(parts, (p) => REPLY_TYPES.has(p.type));
  const lastUserReply = findLast(parts, (p) => p.type === 'reply_user');
  const lastAdminReply = findLast(parts, (p) => p.type === 'reply_admin' || p.type === 'auto_reply');
  const lastAdminAct = findLastIndex(parts, (p) => ADMIN_ACTS.has(p.type));
  const lastUserIndex = findLastIndex(parts, (p) => p.type === 'reply_user');
  const lastReplyAdminIndex = findLastIndex(parts, (p) => p.type === 'reply_admin');

  // User replies after the operator last acted are unread (none once closed); operator
  // replies after the user last wrote are unread by the user.
  // A read mark (`markRead`) covers the parts up to it.
  const adminRead = conversation.adminReadMicros ?? -1;
  const userRead = conversation.userReadMicros ?? -1;
  const unreadByAdmin = conversation.closed ? [] : parts.slice(lastAdminAct + 1).filter((p) => p.type === 'reply_user' && p.atMicros > adminRead);
  const unreadByUser = parts.slice(lastUserIndex + 1).filter((p) => p.type === 'reply_admin' && p.atMicros > userRead);
  for (const part of parts) part.read = !unreadByAdmin.includes(part) && !unreadByUser.includes(part);

  conversation.last_update = last.atMicros / 1e6;
  conversation.parts_count = parts.length;
  conversation.replies_count = parts.filter((p) => REPLY_TYPES.has(p.type)).length;
  conversation.reply_last_type = (replyLast?.type as 'reply_user' | 'reply_admin' | undefined) ?? null;
  conversation.replied = lastUserReply !== undefined;
  conversation.last_user_reply_time = lastUserReply?.created ?? null;
  conversation.lastAdminId = lastAdminReply?.from.kind === 'admin' ? lastAdminReply.from.id : null;
  conversation.admin_unread_count = unreadByAdmin.length;
  conversation.user_unread_count = unreadByUser.length;
  conversation.not_answered_admin_replies = parts.slice(lastReplyAdminIndex + 1).filter((p) => p.type === 'reply_user').length;
  // "Important if last reply is from user or conversation is not assigned" (providers.md 1.6).
  conversation.important = conversation.reply_last_type === 'reply_user' || conversation.assigneeId === null;
}

/** The optional part fields of a conversation (providers.md 1.6). */
export function partLast(conversation: ConversationRecord): PartRecord | null {
  return conversation.parts[conversation.parts.length - 1] ?? null;
}
export function replyLast(conversation: ConversationRecord): PartRecord | null {
  return findLast(conversation.parts, (p) => REPLY_TYPES.has(p.type)) ?? null;
}
export function importantPartLast(conversation: ConversationRecord): PartRecord | null {
  return findLast(conversation.parts, (p) => IMPORTANT_TYPES.has(p.type)) ?? null;
}

function findLast<T>(items: T[], test: (item: T) => boolean): T | undefined {
  const index = findLastIndex(items, test);
  return index < 0 ? undefined : items[index];
}

function findLastIndex<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}

import type { Admin, Channel, Conversation, ConversationStatus, Included, ParticipantKind, User } from '../../domain/model.js';
import { keyed, keyOf, numberOf } from '../kit/wire.js';
import { BOT_ID_PREFIX, type MapContext } from './map-context.js';
import { mapMessage, messageTypeName } from './message-mapper.js';
import type { ChatwootContact, ChatwootConversation, ChatwootInbox, ChatwootMessage, ChatwootSender } from './schemas.js';
import { nonEmpty, toMicros, toMillis } from './wire-values.js';

export { BOT_ID_PREFIX, type MapContext } from './map-context.js';
export { mapMessage } from './message-mapper.js';
export { toMicros, toMillis } from './wire-values.js';

const STATUSES: Record<string, ConversationStatus> = {
  open: 'OPEN',
  pending: 'PENDING',
  snoozed: 'SNOOZED',
  resolved: 'CLOSED',
};

export function mapStatus(nativeStatus: string): ConversationStatus {
  return STATUSES[nativeStatus] ?? 'OPEN';
}

export function mapConversation(item: ChatwootConversation, ctx: MapContext): Conversation {
  const displayId = String(item.id);
  const status = mapStatus(item.status);
  const createdAt = toMillis(item.created_at) ?? 0;
  // The list is sorted by last_activity_at; `timestamp` is the same column.
  const lastActivityMicros = toMicros(item.last_activity_at) ?? toMicros(item.timestamp) ?? createdAt * 1000;
  const lastPartPayload = item.messages?.[0];
  const lastReplyPayload = item.last_non_activity_message ?? null;
  const lastPart = lastPartPayload ? mapMessage(lastPartPayload, ctx, displayId) : null;
  const lastReply = lastReplyPayload ? mapMessage(lastReplyPayload, ctx, displayId) : null;
  // Who wrote the last non-activity message, when that message was a reply.
  const directFrom = lastReplyPayload ? replyFrom(lastReplyPayload) : null;
  const lastReplyFrom = directFrom ?? (lastReplyPayload ? replyFromClocks(item) : null);
  const mailSubject = item.additional_attributes?.['mail_subject'];
  return {
    sourceId: ctx.sourceId,
    provider: 'chatwoot',
    nativeId: displayId,
    raw: item,
    subject: typeof mailSubject === 'string' && mailSubject !== '' ? mailSubject : null,
    status,
    nativeStatus: item.status,
    closed: status === 'CLOSED',
    createdAt,
    lastUpdateMicros: lastActivityMicros,
    // Only the last reply is known: an earlier user reply cannot be dated from the list.
    lastUserReplyAt: directFrom === 'USER' ? (lastReply?.createdAt ?? null) : null,
    delayedUntil: toMillis(item.snoozed_until),
    tags: item.labels ?? [],
    important: null,
    answered: lastReplyFrom === null ? null : lastReplyFrom === 'ADMIN',
    lastReplyFrom,
    channelKind: item.meta?.channel ?? null,
    priority: item.priority ?? null,
    partsCount: null,
    unreadCount: numberOf(item.unread_count),
    botManaged: isBotAssignee(item),
    assigneeId: assigneeId(item),
    lastAdminId: directFrom === 'ADMIN' && lastReply?.author?.kind === 'ADMIN' ? lastReply.author.id : null,
    userId: keyOf(item.meta?.sender?.id),
    channelId: keyOf(item.inbox_id),
    lastPart,
    lastReply,
    url: `${ctx.appUrl}/app/accounts/${ctx.accountId}/conversations/${displayId}`,
  };
}

/** Every nested object a conversation payload carries, mapped, for priming loaders. */
export function conversationIncluded(item: ChatwootConversation, conversation: Conversation, ctx: MapContext): Included {
  const users: User[] = [];
  const admins: Admin[] = [];
  const sender = keyed(item.meta?.sender);
  if (sender) users.push(mapContact(sender, ctx));
  const assignee = keyed(item.meta?.assignee);
  if (assignee) admins.push(isBotAssignee(item) ? mapBot(assignee, ctx) : mapAgent(assignee, ctx));
  const parts = [conversation.lastPart, conversation.lastReply].filter((part) => part !== null);
  for (const message of [item.messages?.[0], item.last_non_activity_message]) {
    const extra = message ? senderIncluded(message, ctx) : null;
    // The conversation's own payloads come first: meta.sender is the fuller contact.
    if (extra?.kind === 'user' && !users.some((user) => user.nativeId === extra.node.nativeId)) users.push(extra.node);
    if (extra?.kind === 'admin' && !admins.some((admin) => admin.nativeId === extra.node.nativeId)) admins.push(extra.node);
  }
  return { users, admins, channels: [], parts };
}

/**
 * The sender of a message as a node, when its payload is complete enough to stand for
 * the node: contacts and bots. An agent sender lacks the email, so agents come from
 * the agents list instead.
 */
export function senderIncluded(
  message: ChatwootMessage,
  ctx: MapContext,
): { kind: 'user'; node: User } | { kind: 'admin'; node: Admin } | null {
  const sender = keyed(message.sender);
  if (!sender) return null;
  const type = sender.type ?? '';
  if (type === 'contact') return { kind: 'user', node: mapContact(sender, ctx) };
  if (type === 'agent_bot') return { kind: 'admin', node: mapBot(sender, ctx) };
  return null;
}

export function mapContact(contact: ChatwootContact, ctx: MapContext): User {
  return {
    sourceId: ctx.sourceId,
    provider: 'chatwoot',
    nativeId: String(contact.id),
    raw: contact,
    name: nonEmpty(contact.name),
    email: nonEmpty(contact.email),
    phone: nonEmpty(contact.phone_number),
    externalId: nonEmpty(contact.identifier),
    avatarUrl: nonEmpty(contact.thumbnail),
  };
}

type AgentLike = Pick<ChatwootSender, 'name' | 'available_name' | 'email' | 'thumbnail' | 'avatar_url'> & { id: string | number };

export function mapAgent(agent: AgentLike, ctx: MapContext): Admin {
  return {
    sourceId: ctx.sourceId,
    provider: 'chatwoot',
    nativeId: String(agent.id),
    raw: agent,
    // available_name is the display name customers see.
    name: nonEmpty(agent.available_name) ?? nonEmpty(agent.name),
    email: nonEmpty(agent.email),
    avatarUrl: nonEmpty(agent.thumbnail) ?? nonEmpty(agent.avatar_url),
    isBot: false,
  };
}

export function mapBot(bot: AgentLike, ctx: MapContext): Admin {
  return {
    sourceId: ctx.sourceId,
    provider: 'chatwoot',
    nativeId: BOT_ID_PREFIX + String(bot.id),
    raw: bot,
    name: nonEmpty(bot.name),
    email: null,
    avatarUrl: nonEmpty(bot.thumbnail) ?? nonEmpty(bot.avatar_url),
    isBot: true,
  };
}

export function mapInbox(inbox: ChatwootInbox, ctx: MapContext): Channel {
  return {
    sourceId: ctx.sourceId,
    provider: 'chatwoot',
    nativeId: String(inbox.id),
    raw: inbox,
    name: nonEmpty(inbox.name),
    type: nonEmpty(inbox.channel_type),
  };
}

function isBotAssignee(item: ChatwootConversation): boolean {
  return keyed(item.meta?.assignee) !== null && item.meta?.assignee_type === 'AgentBot';
}

function assigneeId(item: ChatwootConversation): string | null {
  const assignee = keyed(item.meta?.assignee);
  if (!assignee) return null;
  return isBotAssignee(item) ? BOT_ID_PREFIX + String(assignee.id) : String(assignee.id);
}

/**
 * Who wrote the last non-activity message. A private note or a bot template is not a
 * reply: the message alone answers neither way (see `replyFromClocks`).
 */
function replyFrom(message: ChatwootMessage): ParticipantKind | null {
  if (message.private === true) return null;
  const type = messageTypeName(message.message_type);
  if (type === 'outgoing') return 'ADMIN';
  if (type === 'incoming') return 'USER';
  return null;
}

/**
 * Who replied last when a note or a bot template came after it, from Chatwoot's reply
 * clocks: a customer message starts `waiting_since`, an agent's public reply clears it
 * (the first also sets `first_reply_created_at`), notes and templates touch neither.
 */
function replyFromClocks(item: ChatwootConversation): ParticipantKind | null {
  const clock = (key: string): number | null => {
    const value = (item as Record<string, unknown>)[key];
    return typeof value === 'number' || typeof value === 'string' ? toMillis(value) : null;
  };
  if (clock('waiting_since') !== null) return 'USER';
  return clock('first_reply_created_at') !== null ? 'ADMIN' : null;
}

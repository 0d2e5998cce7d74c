import { MESSAGE_TYPE, type CwConversation, type CwInbox, type CwMessage, type CwUser } from './records.js';
import type { ChatwootStore } from './store.js';
import { agentBotSlim, agentModel, botPush, contactModel, contactPush, teamModel, userPush } from './directory-views.js';
import { iso, isoOrNull, toI, toIOrZero } from './wire-time.js';

export { agentModel, contactModel, inboxModel, teamModel } from './directory-views.js';

/**
 * Records to wire JSON, one function per jbuilder partial (providers.md 2.3 to 2.5).
 * Key order follows the views. Times: `.to_i` seconds, `0` for the NULL ones the
 * conversation partial sends through `.to_i`, ISO strings where a raw Time is emitted.
 */

type Json = Record<string, unknown>;

export interface ViewContext {
  store: ChatwootStore;
  /** `Current.user`: team `is_member` depends on it. */
  user: CwUser;
  now: number;
}

/** Channels with a messaging window (Meta's 24 hours) can only reply inside it. */
const WINDOWED = new Set(['Channel::FacebookPage', 'Channel::Instagram', 'Channel::Whatsapp']);
const DAY_MS = 86_400_000;

function attachmentPush(message: CwMessage, accountId: number): Json[] {
  return message.attachments.map((a) => ({
    id: a.id,
    message_id: message.id,
    file_type: a.fileType,
    account_id: accountId,
    extension: a.extension,
    data_url: a.dataUrl,
    thumb_url: a.fileType === 'image' ? `${a.dataUrl}?thumb=250` : '',
    file_size: a.fileSize,
    width: null,
    height: null,
  }));
}

function sender(message: CwMessage, store: ChatwootStore): Json | undefined {
  if (message.senderType === 'Contact') return contactPush(store.contact(message.senderId!)!);
  if (message.senderType === 'User') return userPush(store.user(message.senderId!)!);
  if (message.senderType === 'AgentBot') return botPush(store.agentBot(message.senderId!)!);
  return undefined;
}

/** `unread_incoming_messages.count`: incoming since `agent_last_seen_at` (all when NULL), `.last(10)`. */
export function unreadCount(conversation: CwConversation, store: ChatwootStore): number {
  const seen = conversation.agentLastSeenAt;
  const unread = store.messagesOf(conversation.displayId).filter(
    (m) => m.messageType === MESSAGE_TYPE.incoming && (seen === null || m.createdAt > seen),
  );
  return Math.min(unread.length, 10);
}

/** `Message#push_event_data`: the row's attributes, then the merged keys. */
export function messagePush(message: CwMessage, conversation: CwConversation, store: ChatwootStore): Json {
  const from = sender(message, store);
  return {
    id: message.id,
    content: message.content,
    account_id: store.account.id,
    inbox_id: message.inboxId,
    conversation_id: message.conversationId,
    message_type: message.messageType,
    created_at: toI(message.createdAt),
    updated_at: iso(message.updatedAt),
    private: message.private,
    status: message.status,
    source_id: null,
    content_type: message.contentType,
    content_attributes: message.contentAttributes ?? {},
    sender_type: message.senderType,
    sender_id: message.senderId,
    external_source_ids: {},
    additional_attributes: {},
    processed_message_content: message.content,
    sentiment: {},
    conversation: {
      assignee_id: conversation.assigneeId,
      unread_count: unreadCount(conversation, store),
      last_activity_at: toI(conversation.lastActivityAt),
      contact_inbox: { source_id: conversation.sourceId },
    },
    ...(message.attachments.length ? { attachments: attachmentPush(message, store.account.id) } : {}),
    ...(from ? { sender: from } : {}),
  };
}

/** `api/v1/models/_message` (the messages endpoint). */
export function messageModel(message: CwMessage, store: ChatwootStore): Json {
  const from = sender(message, store);
  return {
    id: message.id,
    content: message.content,
    inbox_id: message.inboxId,
    conversation_id: message.conversationId,
    message_type: message.messageType,
    content_type: message.contentType,
    status: message.status,
    content_attributes: message.contentAttributes ?? {},
    created_at: toI(message.createdAt),
    private: message.private,
    source_id: null,
    ...(from ? { sender: from } : {}),
    ...(message.attachments.length ? { attachments: attachmentPush(message, store.account.id) } : {}),
  };
}

export function canReply(conversation: CwConversation, inbox: CwInbox, store: ChatwootStore, now: number): boolean {
  if (!WINDOWED.has(inbox.channelType)) return true;
  const lastIncoming = store.messagesOf(conversation.displayId).filter((m) => m.messageType === MESSAGE_TYPE.incoming).at(-1);
  return lastIncoming !== undefined && now - lastIncoming.createdAt < DAY_MS;
}

/** `api/v1/conversations/partials/_conversation`: one list item, and the show body. */
export function conversationModel(conversation: CwConversation, ctx: ViewContext): Json {
  const { store } = ctx;
  const inbox = store.inbox(conversation.inboxId)!;
  const thread = store.messagesOf(conversation.displayId);
  const last = thread.at(-1);
  const lastNonActivity = thread.filter((m) => m.messageType !== MESSAGE_TYPE.activity).at(-1);
  const bot = conversation.assigneeAgentBotId === null ? undefined : store.agentBot(conversation.assigneeAgentBotId);
  const user = conversation.assigneeId === null ? undefined : store.user(conversation.assigneeId);
  const team = conversation.teamId === null ? undefined : store.team(conversation.teamId);
  return {
    meta: {
      sender: contactModel(store.contact(conversation.contactId)!),
      channel: inbox.channelType,
      // Both keys are absent, not null, when nobody is assigned.
      ...(bot
        ? { assignee: agentBotSlim(bot), assignee_type: 'AgentBot' }
        : user
          ? { assignee: agentModel(user, store.account.id), assignee_type: 'User' }
          : {}),
      ...(team ? { team: teamModel(team, store.account.id, ctx.user) } : {}),
      hmac_verified: false,
    },
    id: conversation.displayId,
    messages: last ? [messagePush(last, conversation, store)] : [],
    account_id: store.account.id,
    uuid: conversation.uuid,
    additional_attributes: conversation.additionalAttributes,
    agent_last_seen_at: toIOrZero(conversation.agentLastSeenAt),
    assignee_last_seen_at: toIOrZero(conversation.assigneeLastSeenAt),
    can_reply: canReply(conversation, inbox, store, ctx.now),
    contact_last_seen_at: toIOrZero(conversation.contactLastSeenAt),
    custom_attributes: conversation.customAttributes,
    inbox_id: conversation.inboxId,
    labels: conversation.labels,
    muted: false,
    snoozed_until: isoOrNull(conversation.snoozedUntil),
    status: conversation.status,
    created_at: toI(conversation.createdAt),
    updated_at: conversation.updatedAtUs / 1e6,
    timestamp: toI(conversation.lastActivityAt),
    first_reply_created_at: toIOrZero(conversation.firstReplyCreatedAt),
    unread_count: unreadCount(conversation, store),
    last_non_activity_message: lastNonActivity ? messagePush(lastNonActivity, conversation, store) : null,
    last_activity_at: toI(conversation.lastActivityAt),
    priority: conversation.priority,
    waiting_since: toIOrZero(conversation.waitingSince),
    sla_policy_id: null,
  };
}

/** `messages/index.json.jbuilder` meta: last-seen times as ISO strings or null here. */
export function messagesMeta(conversation: CwConversation, store: ChatwootStore): Json {
  const assignee = conversation.assigneeId === null ? undefined : store.user(conversation.assigneeId);
  return {
    labels: conversation.labels,
    additional_attributes: conversation.additionalAttributes,
    contact: contactPush(store.contact(conversation.contactId)!),
    ...(assignee ? { assignee: userPush(assignee) } : {}),
    agent_last_seen_at: isoOrNull(conversation.agentLastSeenAt),
    assignee_last_seen_at: isoOrNull(conversation.assigneeLastSeenAt),
  };
}

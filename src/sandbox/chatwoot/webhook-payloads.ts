import { botPush, contactPush, userPush } from './directory-views.js';
import { MESSAGE_TYPE, type CwConversation, type CwMessage } from './records.js';
import { canReply, messagePush, unreadCount } from './serialize.js';
import type { ChatwootStore } from './store.js';
import { isoOrNull, toI, toIOrZero } from './wire-time.js';

/**
 * The bodies Chatwoot's webhook listener posts (`WebhookListener`): a conversation event
 * is `Conversations::EventDataPresenter#push_data` plus `event` (and `changed_attributes`
 * on updates); a message event is `Message#webhook_data` plus `event`, where
 * `message_type` is the enum NAME and `created_at` a JSON time string, unlike the REST
 * views (integers and unix seconds).
 */

type Json = Record<string, unknown>;

const MESSAGE_TYPE_NAME = Object.fromEntries(Object.entries(MESSAGE_TYPE).map(([name, value]) => [value, name])) as Record<number, string>;

/** `messages.chat`: neither activity lines nor private notes. */
const isChat = (message: CwMessage) => message.messageType !== MESSAGE_TYPE.activity && !message.private;

/** `EventDataPresenter#push_data` (also `Conversation#webhook_data`). */
export function conversationPushData(conversation: CwConversation, store: ChatwootStore): Json {
  const inbox = store.inbox(conversation.inboxId)!;
  const lastChat = store.messagesOf(conversation.displayId).filter(isChat).at(-1);
  const bot = conversation.assigneeAgentBotId === null ? undefined : store.agentBot(conversation.assigneeAgentBotId);
  const user = conversation.assigneeId === null ? undefined : store.user(conversation.assigneeId);
  const team = conversation.teamId === null ? undefined : store.team(conversation.teamId);
  return {
    additional_attributes: conversation.additionalAttributes,
    can_reply: canReply(conversation, inbox, store, store.now()),
    channel: inbox.channelType,
    contact_inbox: { contact_id: conversation.contactId, inbox_id: conversation.inboxId, source_id: conversation.sourceId, hmac_verified: false },
    id: conversation.displayId,
    inbox_id: conversation.inboxId,
    messages: lastChat ? [messagePush(lastChat, conversation, store)] : [],
    labels: conversation.labels,
    meta: {
      sender: contactPush(store.contact(conversation.contactId)!),
      assignee: bot ? botPush(bot) : user ? userPush(user) : null,
      assignee_type: bot ? 'AgentBot' : user ? 'User' : null,
      team: team ? { id: team.id, name: team.name } : null,
      hmac_verified: false,
    },
    status: conversation.status,
    custom_attributes: conversation.customAttributes,
    snoozed_until: isoOrNull(conversation.snoozedUntil),
    unread_count: unreadCount(conversation, store),
    first_reply_created_at: isoOrNull(conversation.firstReplyCreatedAt),
    priority: conversation.priority,
    waiting_since: toIOrZero(conversation.waitingSince),
    agent_last_seen_at: toIOrZero(conversation.agentLastSeenAt),
    contact_last_seen_at: toIOrZero(conversation.contactLastSeenAt),
    last_activity_at: toI(conversation.lastActivityAt),
    timestamp: toI(conversation.lastActivityAt),
    created_at: toI(conversation.createdAt),
    updated_at: conversation.updatedAtUs / 1e6,
  };
}

/** `Message#webhook_data`. */
export function messageWebhookData(message: CwMessage, conversation: CwConversation, store: ChatwootStore): Json {
  const sender =
    message.senderType === 'Contact'
      ? contactWebhookData(message.senderId!, store)
      : message.senderType === 'User'
        ? userWebhookData(message.senderId!, store)
        : message.senderType === 'AgentBot'
          ? { id: message.senderId, name: store.agentBot(message.senderId!)!.name, type: 'agent_bot' }
          : null;
  const inbox = store.inbox(message.inboxId)!;
  return {
    account: { id: store.account.id, name: store.account.name },
    additional_attributes: {},
    content_attributes: message.contentAttributes ?? {},
    content_type: message.contentType,
    content: message.content,
    conversation: conversationPushData(conversation, store),
    // A Time through `to_json`: ISO 8601 with milliseconds.
    created_at: new Date(message.createdAt).toISOString(),
    id: message.id,
    inbox: { id: inbox.id, name: inbox.name },
    message_type: MESSAGE_TYPE_NAME[message.messageType],
    private: message.private,
    sender,
    source_id: null,
  };
}

function contactWebhookData(id: number, store: ChatwootStore): Json {
  const contact = store.contact(id)!;
  // `Contact#webhook_data`: the push data without `type`, with the account and the avatar.
  const { type: _type, ...fields } = contactPush(contact) as Record<string, unknown>;
  return { account: { id: store.account.id, name: store.account.name }, avatar: contact.thumbnail, ...fields } as Json;
}

function userWebhookData(id: number, store: ChatwootStore): Json {
  const user = store.user(id)!;
  return { id: user.id, name: user.name, email: user.email, type: 'user' };
}

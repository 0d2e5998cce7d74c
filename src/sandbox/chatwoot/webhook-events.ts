import { MESSAGE_TYPE, type CwConversation, type CwUser } from './records.js';
import type { ChatwootStore, StoreChange } from './store.js';
import type { WebhookEvent } from './webhook-records.js';
import { conversationPushData, messageWebhookData } from './webhook-payloads.js';
import { isoOrNull } from './wire-time.js';

/**
 * Which store change fires which webhook, as Chatwoot's callbacks decide it: a created
 * conversation fires `conversation_created`; a saved change fires `conversation_updated`
 * only when one of `list_of_keys` changed (with every changed column in
 * `changed_attributes`), preceded by `conversation_status_changed` when the status did; a
 * message fires `message_created` only when `webhook_sendable?` (incoming, outgoing,
 * template; private notes are outgoing). Activity messages and `update_last_seen`
 * (`update_columns`, no callbacks) fire nothing.
 */

export interface WebhookPayload {
  event: WebhookEvent;
  body: Record<string, unknown>;
}

/** `Conversation#list_of_keys`. */
const LIST_OF_KEYS = ['team_id', 'assignee_id', 'assignee_agent_bot_id', 'status', 'snoozed_until', 'custom_attributes', 'label_list', 'waiting_since', 'first_reply_created_at', 'priority'];
const SENDABLE: readonly number[] = [MESSAGE_TYPE.incoming, MESSAGE_TYPE.outgoing, MESSAGE_TYPE.template];

/** The saved columns, as `previous_changes` would show them. */
function columnsOf(c: CwConversation): Record<string, unknown> {
  return {
    team_id: c.teamId,
    assignee_id: c.assigneeId,
    assignee_agent_bot_id: c.assigneeAgentBotId,
    status: c.status,
    snoozed_until: isoOrNull(c.snoozedUntil),
    custom_attributes: c.customAttributes,
    label_list: c.labels,
    waiting_since: isoOrNull(c.waitingSince),
    first_reply_created_at: isoOrNull(c.firstReplyCreatedAt),
    priority: c.priority,
    updated_at: new Date(Math.floor(c.updatedAtUs / 1000)).toISOString(),
  };
}

export interface WebhookEvents {
  /** `conversation_typing_on`/`_off`, as the typing endpoint dispatches them. */
  typing(conversation: CwConversation, user: CwUser, on: boolean): void;
}

export function watchWebhookEvents(store: ChatwootStore, deliver: (payload: WebhookPayload) => void): WebhookEvents {
  // Chatwoot's listeners run in a job after the change commits and read the records then:
  // a body shows the state after the whole change (a reply and the reopening it caused).
  const emit = (event: WebhookEvent, body: () => Record<string, unknown>) => queueMicrotask(() => deliver({ event, body: body() }));
  const seen = new Map<number, string>();
  const snapshot = (c: CwConversation) => seen.set(c.displayId, JSON.stringify(columnsOf(c)));
  for (const conversation of store.conversations) snapshot(conversation);

  const saved = (conversation: CwConversation) => {
    const before = JSON.parse(seen.get(conversation.displayId) ?? '{}') as Record<string, unknown>;
    const after = columnsOf(conversation);
    snapshot(conversation);
    const changed = Object.keys(after).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
    if (!changed.some((key) => LIST_OF_KEYS.includes(key))) return;
    const changedAttributes = changed.map((key) => ({ [key]: { previous_value: before[key] ?? null, current_value: after[key] } }));
    const body = (event: WebhookEvent) => () => ({ ...conversationPushData(conversation, store), event, changed_attributes: changedAttributes });
    if (changed.includes('status')) emit('conversation_status_changed', body('conversation_status_changed'));
    emit('conversation_updated', body('conversation_updated'));
  };

  store.observe((change: StoreChange) => {
    if (change.kind === 'conversation_created') {
      snapshot(change.conversation);
      emit('conversation_created', () => ({ ...conversationPushData(change.conversation, store), event: 'conversation_created' }));
      // A conversation is built with its first messages, each created (and sent) after it.
      for (const message of store.messagesOf(change.conversation.displayId).filter((m) => SENDABLE.includes(m.messageType))) {
        emit('message_created', () => ({ ...messageWebhookData(message, change.conversation, store), event: 'message_created' }));
      }
    } else if (change.kind === 'conversation_saved') {
      saved(change.conversation);
    } else if (SENDABLE.includes(change.message.messageType)) {
      const { message, conversation } = change;
      emit('message_created', () => ({ ...messageWebhookData(message, conversation, store), event: 'message_created' }));
    }
  });

  return {
    typing: (conversation, user, on) => {
      const event = on ? 'conversation_typing_on' : 'conversation_typing_off';
      emit(event, () => ({ event, user: { id: user.id, name: user.name, email: user.email, type: 'user' }, conversation: conversationPushData(conversation, store), is_private: false }));
    },
  };
}

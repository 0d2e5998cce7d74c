import type { SimResponse } from '../kit/simulator-server.js';
import type { CwActor } from './auth.js';
import type { ChatwootReadings } from './readings.js';
import { MESSAGE_TYPE, type CwConversation, type CwMessageType } from './records.js';
import { messageModel } from './serialize.js';
import type { ChatwootStore } from './store.js';
import { booleanParam, toS, type WriteParams } from './write-params.js';

/**
 * `POST …/conversations/{id}/messages` (messages_controller#create and
 * `Messages::MessageBuilder`): any exception while building becomes 422
 * `{"error": message}`; the answer is the `_message` partial, plus `echo_id` when one
 * was sent (an attribute Chatwoot never stores).
 */

const NAMED_TYPES: Record<string, CwMessageType> = MESSAGE_TYPE;
const MAX_CONTENT = 150_000;
/** `CONVERSATION_MESSAGE_PER_MINUTE_LIMIT`, default 200 (lib/limits.rb). */
const MESSAGES_PER_MINUTE = 200;

const couldNotCreate = (error: string): SimResponse => ({ status: 422, body: { error } });

export function createMessage(store: ChatwootStore, conversation: CwConversation, actor: CwActor, params: WriteParams, readings: ChatwootReadings): SimResponse {
  const typeParam = params.get('message_type');
  const typeName = typeParam === undefined || typeParam === null ? 'outgoing' : toS(typeParam);
  // The enum takes names and their integers; anything else raises ArgumentError.
  const messageType = NAMED_TYPES[typeName] ?? (/^[0-3]$/.test(typeName) ? (Number(typeName) as CwMessageType) : undefined);
  if (messageType === undefined) return couldNotCreate(`'${typeName}' is not a valid message_type`);
  const inbox = store.inbox(conversation.inboxId)!;
  if (messageType === MESSAGE_TYPE.incoming && inbox.channelType !== 'Channel::Api') return couldNotCreate('Incoming messages are only allowed in Api inboxes');

  const contentParam = params.get('content');
  const content = contentParam === undefined || contentParam === null ? null : toS(contentParam);
  if (content !== null && content.length > MAX_CONTENT) return couldNotCreate(`Validation failed: Content is too long (maximum is ${MAX_CONTENT} characters)`);
  const minuteAgo = store.now() - 60_000;
  if (store.messagesOf(conversation.displayId).filter((m) => m.createdAt >= minuteAgo).length >= MESSAGES_PER_MINUTE) {
    return couldNotCreate('Validation failed: Too many messages');
  }

  // `sender`: outgoing messages are the token's user (or bot); every other type the contact.
  const outgoing = messageType === MESSAGE_TYPE.outgoing;
  const sender = !outgoing
    ? { senderType: 'Contact' as const, senderId: conversation.contactId }
    : actor.kind === 'user'
      ? { senderType: 'User' as const, senderId: actor.user.id }
      : { senderType: 'AgentBot' as const, senderId: actor.bot.id };
  const attributes = contentAttributes(params.get('content_attributes'));
  const message = store.append(conversation, {
    content,
    messageType,
    contentType: 'text',
    private: booleanParam(params.get('private')),
    ...sender,
    ...(readings.contentAttributesKept && Object.keys(attributes).length > 0 ? { contentAttributes: attributes } : {}),
  });
  if (messageType === MESSAGE_TYPE.incoming) reopen(store, conversation);
  const echoId = params.get('echo_id');
  return { status: 200, body: { ...messageModel(message, store), ...(echoId ? { echo_id: echoId } : {}) } };
}

/** A hash as sent, a JSON string parsed, anything else (or bad JSON) `{}`. */
function contentAttributes(value: unknown): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return {};
    }
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

/** `Message#reopen_conversation`: an incoming message reopens a snoozed or resolved conversation. */
function reopen(store: ChatwootStore, conversation: CwConversation): void {
  if (conversation.status !== 'snoozed' && conversation.status !== 'resolved') return;
  conversation.status = 'open';
  conversation.snoozedUntil = null;
  store.touch(conversation);
}

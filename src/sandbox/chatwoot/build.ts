import type { WorldConversation, WorldPart } from '../data.js';
import type { Directory } from './directory.js';
import { createIdSequence, createUuid, type Random } from './ids.js';
import {
  MESSAGE_TYPE,
  type CwContact,
  type CwContactInbox,
  type CwConversation,
  type CwInbox,
  type CwMessage,
  type CwStatus,
} from './records.js';

/**
 * Turns each world conversation (src/sandbox/data.ts) into a Chatwoot conversation row
 * plus its messages, and keeps the conversation-level times Message's callbacks keep.
 */

/** Chatwoot has no open/closed beyond these four: archived and spam are resolved there. */
const STATUS_OF: Record<WorldConversation['state'], CwStatus> = {
  open: 'open',
  pending: 'pending',
  snoozed: 'snoozed',
  closed: 'resolved',
  archived: 'resolved',
  spam: 'resolved',
};

export interface Sequences {
  random: Random;
  messageId: () => number;
  attachmentId: () => number;
}

export function createSequences(random: Random): Sequences {
  return {
    random,
    messageId: createIdSequence(random, 40_000, 5),
    attachmentId: createIdSequence(random, 9_000, 4),
  };
}

/** The contact inbox of (contact, inbox), created on first use like `ContactInboxBuilder`. */
function contactInboxFor(dir: Directory, random: Random, contact: CwContact, inbox: CwInbox): CwContactInbox {
  const found = dir.contactInboxes.find((ci) => ci.contactId === contact.id && ci.inboxId === inbox.id);
  if (found) return found;
  const sourceId =
    inbox.channelType === 'Channel::Email' && contact.email
      ? contact.email
      : (inbox.channelType === 'Channel::Whatsapp' || inbox.channelType === 'Channel::Sms') && contact.phoneNumber
        ? contact.phoneNumber.replace(/[^\d+]/g, '')
        : createUuid(random);
  const created = { contactId: contact.id, inboxId: inbox.id, sourceId };
  dir.contactInboxes.push(created);
  return created;
}

export interface BuiltConversation {
  conversation: CwConversation;
  messages: CwMessage[];
}

/**
 * One world conversation as Chatwoot rows. `messageIdOf(index)` gives each part its
 * global message id (the world build numbers all parts by time across conversations).
 */
export function conversationFromWorld(
  wc: WorldConversation,
  displayId: number,
  dir: Directory,
  seq: Sequences,
  messageIdOf: (index: number) => number,
): BuiltConversation {
  const inbox = wc.channelKey === null ? dir.apiInbox : dir.inboxOf.get(wc.channelKey)!;
  const contact = dir.contactOf.get(wc.customerKey)!;
  const assigneeUser = wc.assigneeKey === null ? undefined : dir.userOf.get(wc.assigneeKey);
  const assigneeBot = wc.assigneeKey === null ? undefined : dir.botOf.get(wc.assigneeKey);
  const status = STATUS_OF[wc.state];
  const messages = wc.parts.map((part, index) => messageFromPart(part, messageIdOf(index), displayId, inbox, dir, seq, wc));
  const lastActivityAt = Math.max(...messages.map((m) => m.createdAt));
  const conversation: CwConversation = {
    displayId,
    uuid: createUuid(seq.random),
    inboxId: inbox.id,
    contactId: contact.id,
    sourceId: contactInboxFor(dir, seq.random, contact, inbox).sourceId,
    status,
    snoozedUntil: status === 'snoozed' ? wc.snoozedUntil : null,
    assigneeId: assigneeUser?.id ?? null,
    assigneeAgentBotId: assigneeBot?.id ?? null,
    teamId: wc.teamKey === null ? null : dir.teamOf.get(wc.teamKey)!.id,
    labels: [...wc.tags],
    priority: wc.priority,
    createdAt: wc.createdAt,
    lastActivityAt,
    // A row update lands within the millisecond of its last message (`touch: true`).
    updatedAtUs: lastActivityAt * 1000 + Math.floor(seq.random() * 1000),
    agentLastSeenAt: null,
    assigneeLastSeenAt: null,
    contactLastSeenAt: null,
    firstReplyCreatedAt: null,
    waitingSince: null,
    additionalAttributes: inbox.channelType === 'Channel::Email' ? { mail_subject: wc.subject } : {},
    customAttributes: { ...wc.data },
    participantIds: assigneeUser ? [assigneeUser.id] : [],
  };
  for (const message of messages) trackReplyTimes(conversation, message);
  deriveLastSeen(conversation, messages);
  return { conversation, messages };
}

function messageFromPart(
  part: WorldPart,
  id: number,
  displayId: number,
  inbox: CwInbox,
  dir: Directory,
  seq: Sequences,
  wc: WorldConversation,
): CwMessage {
  const author = part.author;
  const base = {
    id,
    conversationId: displayId,
    inboxId: inbox.id,
    contentType: 'text' as const,
    status: 'sent' as const,
    createdAt: part.at,
    updatedAt: part.at,
    attachments: part.attachments.map((a) => ({
      id: seq.attachmentId(),
      fileType: a.contentType.startsWith('image/') ? ('image' as const) : ('file' as const),
      extension: a.name.split('.').pop() ?? '',
      dataUrl: a.url,
      fileSize: a.size,
    })),
  };
  if (author.type === 'customer') {
    return {
      ...base,
      content: part.body,
      messageType: MESSAGE_TYPE.incoming,
      contentType: inbox.channelType === 'Channel::Email' ? 'incoming_email' : 'text',
      private: false,
      senderType: 'Contact',
      senderId: dir.contactOf.get(author.key)!.id,
    };
  }
  if (author.type === 'system') {
    return { ...base, content: activityContent(wc, dir, seq.random), messageType: MESSAGE_TYPE.activity, private: false, senderType: null, senderId: null };
  }
  const bot = dir.botOf.get(author.key);
  if (bot) {
    // Bot replies are `template` messages sent by the AgentBot (providers.md 4.2: 3 -> BOT_REPLY).
    return { ...base, content: part.body, messageType: MESSAGE_TYPE.template, private: false, senderType: 'AgentBot', senderId: bot.id };
  }
  return {
    ...base,
    content: part.body,
    messageType: MESSAGE_TYPE.outgoing,
    private: part.kind === 'note',
    senderType: 'User',
    senderId: dir.userOf.get(author.key)!.id,
  };
}

/** Activity rows carry Chatwoot's own wording (config/locales/en.yml `activity`). */
function activityContent(wc: WorldConversation, dir: Directory, random: Random): string {
  const admin = dir.users.find((u) => u.role === 'administrator')!.name;
  const assignee = wc.assigneeKey === null ? undefined : (dir.userOf.get(wc.assigneeKey) ?? dir.botOf.get(wc.assigneeKey));
  const options = [
    `Conversation was marked resolved by ${admin}`,
    `Conversation was reopened by ${admin}`,
    ...(assignee ? [`Assigned to ${assignee.name} by ${admin}`] : []),
    ...(wc.tags.length ? [`${admin} added ${wc.tags.join(', ')}`] : []),
  ];
  return options[Math.floor(random() * options.length)]!;
}

/**
 * `Message#update_waiting_since` and the first-reply event: an incoming message starts
 * the wait, a human agent's public reply ends it and, the first time, sets
 * `first_reply_created_at`. Bot templates and private notes change neither.
 */
export function trackReplyTimes(conversation: CwConversation, message: CwMessage): void {
  const humanReply = message.messageType === MESSAGE_TYPE.outgoing && message.senderType === 'User' && !message.private;
  if (humanReply) {
    conversation.firstReplyCreatedAt ??= message.createdAt;
    conversation.waitingSince = null;
  }
  if (message.messageType === MESSAGE_TYPE.incoming && conversation.waitingSince === null) {
    conversation.waitingSince = message.createdAt;
  }
  if (message.senderType === 'User' && !conversation.participantIds.includes(message.senderId!)) {
    conversation.participantIds.push(message.senderId!);
  }
}

/**
 * Seen-times for generated history (the dashboard sets them as people open a
 * conversation, which the world does not record): an agent has seen everything of a
 * resolved conversation and, otherwise, up to the last message an agent wrote; the
 * assignee up to their own last message; the contact up to their last message.
 */
function deriveLastSeen(conversation: CwConversation, messages: CwMessage[]): void {
  const lastBy = (match: (m: CwMessage) => boolean) => messages.filter(match).at(-1)?.createdAt ?? null;
  conversation.agentLastSeenAt =
    conversation.status === 'resolved' ? conversation.lastActivityAt : lastBy((m) => m.senderType === 'User');
  conversation.assigneeLastSeenAt =
    conversation.assigneeId === null ? null : lastBy((m) => m.senderType === 'User' && m.senderId === conversation.assigneeId);
  conversation.contactLastSeenAt = lastBy((m) => m.messageType === MESSAGE_TYPE.incoming);
}

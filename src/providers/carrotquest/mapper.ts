import type {
  Admin,
  Attachment,
  AuthorRef,
  Channel,
  Conversation,
  ConversationPart,
  ConversationStatus,
  Included,
  PartKind,
  ParticipantKind,
  User,
} from '../../domain/model.js';
import {
  carrotId,
  type CarrotAdmin,
  type CarrotAttachment,
  type CarrotChannel,
  type CarrotConversation,
  type CarrotId,
  type CarrotPart,
  type CarrotUser,
} from './schemas.js';
import { keyed, keyOf, numberOf } from '../kit/wire.js';

/** Pure Carrot quest payload -> unified model (providers.md section 4.2). */

export interface MapContext {
  sourceId: string;
  /** Epoch milliseconds: a delay that has run out is no longer a snooze. */
  now: number;
}

const PROVIDER = 'carrotquest';

/** Unix seconds (float), numeric strings and ISO strings -> epoch ms; `0` and blanks mean never. */
export function toMillis(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.round(value * 1000) : null;
  const text = value.trim();
  if (text === '') return null;
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) return toMillis(Number(text));
  // An ISO time without a zone (`$last_seen: "2015-12-17T13:01:32"`) is UTC (providers.md 1.5).
  const hasTime = /\d[T ]\d/.test(text);
  const hasZone = /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(text);
  const iso = hasTime && !hasZone ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T');
  const millis = Date.parse(iso);
  return Number.isNaN(millis) ? null : millis;
}

/** `last_update` seconds -> the merge order key in microseconds. */
export function toMicros(seconds: number): number {
  return Math.round(seconds * 1e6);
}

const PART_KINDS: Record<string, PartKind> = {
  reply_user: 'USER_REPLY',
  reply_admin: 'ADMIN_REPLY',
  note: 'NOTE',
  auto_reply: 'BOT_REPLY',
};

const REPLIERS: Record<string, ParticipantKind> = { reply_user: 'USER', reply_admin: 'ADMIN' };

export function mapConversation(conversation: CarrotConversation, context: MapContext): Conversation {
  const { status, nativeStatus } = statusOf(conversation, context.now);
  const lastReplyType = conversation.reply_last_type ?? conversation.reply_last?.type ?? null;
  const lastReplyFrom = (lastReplyType && REPLIERS[lastReplyType]) || null;
  const lastUpdateMicros = toMicros(conversation.last_update);
  const id = carrotId(conversation.id);
  // `{}` (or an empty id) stands for no part.
  const partLast = keyed(conversation.part_last);
  const replyLast = keyed(conversation.reply_last);
  return {
    sourceId: context.sourceId,
    provider: PROVIDER,
    nativeId: id,
    raw: conversation,
    // Carrot quest conversations have no subject.
    subject: null,
    status,
    nativeStatus,
    closed: conversation.closed === true,
    createdAt: toMillis(conversation.created) ?? Math.round(lastUpdateMicros / 1000),
    lastUpdateMicros,
    lastUserReplyAt: toMillis(conversation.last_user_reply_time),
    delayedUntil: toMillis(conversation.delayed_until),
    tags: conversation.tags ?? [],
    important: conversation.important ?? null,
    answered: lastReplyFrom === null ? null : lastReplyFrom === 'ADMIN',
    lastReplyFrom,
    channelKind: conversation.type ?? null,
    priority: null,
    partsCount: numberOf(conversation.parts_count),
    unreadCount: numberOf(conversation.admin_unread_count) ?? numberOf(conversation.unread_parts_count),
    botManaged: Boolean(conversation.assistant_type),
    assigneeId: optionalId(conversation.assignee?.id),
    lastAdminId: optionalId(conversation.last_admin?.id),
    userId: optionalId(conversation.user?.id),
    channelId: optionalId(conversation.channel?.id),
    lastPart: partLast ? mapPart(partLast, id, context.sourceId) : null,
    lastReply: replyLast ? mapPart(replyLast, id, context.sourceId) : null,
    // Carrot quest documents no deep link into its inbox, so none is made up.
    url: null,
  };
}

/** closed -> CLOSED; else a delay still running -> SNOOZED; else OPEN (providers.md 4.2). */
function statusOf(conversation: CarrotConversation, now: number): { status: ConversationStatus; nativeStatus: string } {
  if (conversation.closed === true) return { status: 'CLOSED', nativeStatus: 'closed' };
  const delayedUntil = toMillis(conversation.delayed_until);
  if (delayedUntil !== null && delayedUntil > now) return { status: 'SNOOZED', nativeStatus: 'delayed' };
  return { status: 'OPEN', nativeStatus: 'open' };
}

export function mapPart(part: CarrotPart, conversationId: string, sourceId: string): ConversationPart {
  const nativeType = part.type ?? '';
  return {
    sourceId,
    provider: PROVIDER,
    nativeId: carrotId(part.id),
    raw: part,
    conversationId: optionalId(part.conversation) ?? conversationId,
    createdAt: toMillis(part.created) ?? 0,
    kind: PART_KINDS[nativeType] ?? 'SYSTEM',
    nativeType,
    // System parts carry an empty body.
    body: part.body ? part.body : null,
    internal: nativeType === 'note',
    author: authorOf(part.from),
    attachments: (part.attachments ?? []).flatMap(mapAttachment),
  };
}

/** A nested object's id, or null when it names none (absent, null or ""). */
function optionalId(id: CarrotId | null | undefined): string | null {
  return keyOf(id);
}

function authorOf(from: CarrotPart['from']): AuthorRef | null {
  if (from === null || from === undefined) return null;
  if (typeof from !== 'object') return { kind: 'USER', id: carrotId(from) };
  // `default_admin` has no id, so it cannot be referenced as a node.
  const adminId = optionalId(from.id);
  return adminId ? { kind: 'ADMIN', id: adminId } : null;
}

function mapAttachment(attachment: CarrotAttachment): Attachment[] {
  if (!attachment.url) return [];
  return [
    {
      name: attachment.filename ?? null,
      url: attachment.url,
      contentType: attachment.mime_type ?? null,
      size: numberOf(attachment.size),
    },
  ];
}

/** Null for an Admin without an id (`default_admin`): there is no node to point at. */
export function mapAdmin(admin: CarrotAdmin, sourceId: string): Admin | null {
  const id = optionalId(admin.id);
  if (!id) return null;
  return {
    sourceId,
    provider: PROVIDER,
    nativeId: id,
    raw: admin,
    name: admin.name || null,
    email: admin.email || null,
    avatarUrl: admin.avatar || null,
    isBot: admin.type === 'bot',
  };
}

export function mapUser(user: CarrotUser, sourceId: string): User {
  const props = user.props ?? {};
  return {
    sourceId,
    provider: PROVIDER,
    nativeId: carrotId(user.id),
    raw: user,
    name: textProp(props.$name),
    email: textProp(props.$email),
    phone: textProp(props.$phone),
    externalId: user.user_id === null || user.user_id === undefined || user.user_id === '' ? null : String(user.user_id),
    avatarUrl: textProp(props.$avatar),
  };
}

/** Carrot quest sends unset system props as `""` (`"$email": ""` in its own example). */
function textProp(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function mapChannel(channel: CarrotChannel, sourceId: string): Channel {
  return {
    sourceId,
    provider: PROVIDER,
    nativeId: carrotId(channel.id),
    raw: channel,
    name: channel.name || null,
    type: channel.type || null,
  };
}

/** Every admin a part names through `from`. */
export function partAdmins(part: CarrotPart | null | undefined): CarrotAdmin[] {
  const from = part?.from;
  return from && typeof from === 'object' ? [from] : [];
}

/** The nested objects of conversations, mapped and deduplicated, to prime the request's loaders. */
export function collectIncluded(conversations: readonly CarrotConversation[], context: MapContext): Included {
  const collector = createIncludedCollector(context.sourceId);
  for (const conversation of conversations) {
    const user = keyed(conversation.user);
    const channel = keyed(conversation.channel);
    if (user) collector.user(user);
    if (channel) collector.channel(channel);
    for (const admin of [conversation.assignee, conversation.last_admin]) if (admin) collector.admin(admin);
    for (const part of [keyed(conversation.part_last), keyed(conversation.reply_last)]) {
      if (part) collector.part(part, carrotId(conversation.id));
    }
  }
  return collector.result();
}

export interface IncludedCollector {
  user(user: CarrotUser): void;
  admin(admin: CarrotAdmin): void;
  channel(channel: CarrotChannel): void;
  /** Adds the part and the admin it names. */
  part(part: CarrotPart, conversationId: string): void;
  result(): Included;
}

export function createIncludedCollector(sourceId: string): IncludedCollector {
  const users = new Map<string, User>();
  const admins = new Map<string, Admin>();
  const channels = new Map<string, Channel>();
  const parts = new Map<string, ConversationPart>();
  const collector: IncludedCollector = {
    user(user) {
      const id = carrotId(user.id);
      if (!users.has(id)) users.set(id, mapUser(user, sourceId));
    },
    admin(admin) {
      const id = optionalId(admin.id);
      const mapped = id && !admins.has(id) ? mapAdmin(admin, sourceId) : null;
      if (mapped) admins.set(mapped.nativeId, mapped);
    },
    channel(channel) {
      const id = carrotId(channel.id);
      if (!channels.has(id)) channels.set(id, mapChannel(channel, sourceId));
      for (const operator of channel.operators ?? []) collector.admin(operator);
    },
    part(part, conversationId) {
      const id = carrotId(part.id);
      if (!parts.has(id)) parts.set(id, mapPart(part, conversationId, sourceId));
      for (const admin of partAdmins(part)) collector.admin(admin);
    },
    result: () => ({
      users: [...users.values()],
      admins: [...admins.values()],
      channels: [...channels.values()],
      parts: [...parts.values()],
    }),
  };
  return collector;
}

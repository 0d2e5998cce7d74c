import type {
  Admin,
  Channel,
  Conversation,
  ConversationPart,
  ConversationStatus,
  Included,
  ParticipantKind,
  User,
} from '../../domain/model.js';
import { numberOf, withText } from '../kit/wire.js';
import { lastCustomerMessageId } from './part-ids.js';
import type { ReamazeAuthor, ReamazeChannel, ReamazeConversation, ReamazeLastCustomerMessage, ReamazeStaff } from './schemas.js';

/**
 * Re:amaze payloads -> the unified model (providers.md sections 3 and 4.2). Pure.
 * Staff and customers have no ids: both are keyed by their lowercased email.
 */

export const PROVIDER = 'reamaze';

/** providers.md 4.2; codes outside the table are treated as open and keep their value in `nativeStatus`. */
const STATUS_BY_CODE: Readonly<Record<number, ConversationStatus>> = {
  0: 'OPEN',
  1: 'PENDING',
  2: 'CLOSED',
  3: 'CLOSED',
  4: 'CLOSED',
  5: 'SNOOZED',
  6: 'CLOSED',
  7: 'OPEN',
  8: 'CLOSED',
  9: 'CLOSED',
};

/** "Chatbot Assigned" and "Chatbot Resolved": the AI agent handles the conversation. */
const BOT_CODES: ReadonlySet<number> = new Set([7, 8]);

/** "Responded" (formerly "Pending"): a staff reply is the latest word. */
const RESPONDED = 1;

/** `category.channel` codes (providers.md 3.3, and 7 = API from the provider's doc). */
export const CHANNEL_TYPES: Readonly<Record<number, string>> = {
  1: 'email',
  2: 'twitter',
  3: 'facebook',
  6: 'chat',
  7: 'api',
  8: 'instagram',
  9: 'sms',
  10: 'voice',
  12: 'facebook_messenger',
  13: 'facebook_lead_ads',
  14: 'instagram_ads',
  15: 'whatsapp',
  16: 'instagram_dm',
};

/** A customer message and the conversation's `updated_at` are stamped apart; within this they are one event. */
const SAME_EVENT_MS = 1000;

export function isoToMillis(value: string | null | undefined): number | null {
  if (!value) return null;
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? null : millis;
}

/** The numeric status code, or NaN when the provider sent something that is not one. */
function statusCode(raw: number | string): number {
  if (typeof raw === 'number') return raw;
  return /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
}

export function mapStatus(raw: number | string): { status: ConversationStatus; nativeStatus: string; botManaged: boolean } {
  const code = statusCode(raw);
  return {
    status: STATUS_BY_CODE[code] ?? 'OPEN',
    nativeStatus: String(raw).trim(),
    botManaged: BOT_CODES.has(code),
  };
}

export function channelType(value: number | string | null | undefined): string | null {
  const code = numberOf(value);
  if (code === null) return null;
  return CHANNEL_TYPES[code] ?? String(code);
}

export function mapChannel(sourceId: string, channel: ReamazeChannel): Channel {
  return {
    sourceId,
    provider: PROVIDER,
    nativeId: channel.slug,
    raw: channel,
    name: channel.name ?? null,
    type: channelType(channel.channel),
  };
}

export function mapAdmin(sourceId: string, staff: ReamazeStaff): Admin {
  return {
    sourceId,
    provider: PROVIDER,
    nativeId: staff.email.toLowerCase(),
    raw: staff,
    name: staff.name || staff.display_name || null,
    email: staff.email,
    avatarUrl: null,
    isBot: false,
  };
}

/**
 * A customer's id is their lowercased email. A customer with no email (social or SMS
 * contacts) is keyed by their SSO id as `sso:<id>` when they have one, else by
 * Re:amaze's own contact number as `contact:<n>`; no email starts with either prefix (an
 * unquoted colon is not allowed), so the spaces cannot collide.
 */
export function userIdOf(author: Pick<ReamazeAuthor, 'email' | 'id'>): string | null {
  const email = author.email?.trim();
  if (email) return email.toLowerCase();
  const sso = externalIdOf(author);
  if (sso !== null) return `sso:${sso}`;
  return typeof author.id === 'number' ? `contact:${author.id}` : null;
}

/** Contacts carry their SSO id as a string `id`; a numeric `id` is Re:amaze's own row id, not an external one. */
function externalIdOf(author: Pick<ReamazeAuthor, 'id'>): string | null {
  return typeof author.id === 'string' && author.id !== '' ? author.id : null;
}

type CustomerFields = Pick<ReamazeAuthor, 'id' | 'name' | 'email' | 'mobile' | 'display_name' | 'friendly_name'>;

/** Maps a conversation's `author`, or a customer message's `user`, to a User (null when it has no key). */
export function mapAuthor(sourceId: string, author: CustomerFields): User | null {
  const nativeId = userIdOf(author);
  if (nativeId === null) return null;
  return {
    sourceId,
    provider: PROVIDER,
    nativeId,
    raw: author,
    name: author.name || author.display_name || author.friendly_name || null,
    email: author.email?.trim() || null,
    phone: author.mobile || null,
    externalId: externalIdOf(author),
    avatarUrl: null,
  };
}

/** The list's `last_customer_message` carries only a body and a time; its author is the conversation's customer. */
function lastCustomerMessagePart(
  sourceId: string,
  slug: string,
  message: ReamazeLastCustomerMessage & { created_at: string },
  userId: string | null,
): ConversationPart {
  const createdAt = Date.parse(message.created_at);
  return {
    sourceId,
    provider: PROVIDER,
    nativeId: lastCustomerMessageId(slug, createdAt),
    raw: message,
    conversationId: slug,
    createdAt,
    kind: 'USER_REPLY',
    nativeType: '0',
    body: message.body ?? null,
    internal: false,
    author: userId === null ? null : { kind: 'USER', id: userId },
    attachments: [],
  };
}

/**
 * Re:amaze says who wrote last only through the status: "Responded" means staff did.
 * Otherwise the customer did when their latest message is the conversation's last
 * update; anything later (a staff reply, a note, a status change) leaves it unknown.
 */
export function inferLastReplyFrom(code: number | string, updatedAt: number | null, lastCustomerAt: number | null): ParticipantKind | null {
  if (statusCode(code) === RESPONDED) return 'ADMIN';
  if (updatedAt === null || lastCustomerAt === null) return null;
  return Math.abs(updatedAt - lastCustomerAt) <= SAME_EVENT_MS ? 'USER' : null;
}

export interface MappedConversation {
  conversation: Conversation;
  included: Included;
}

export function mapConversation(sourceId: string, payload: ReamazeConversation): MappedConversation {
  const { status, nativeStatus, botManaged } = mapStatus(payload.status);
  const createdAt = Date.parse(payload.created_at);
  const updatedAt = isoToMillis(payload.updated_at);
  const lastCustomerAt = isoToMillis(payload.last_customer_message?.created_at);
  const user = payload.author ? mapAuthor(sourceId, payload.author) : null;
  const assigneePayload = withText(payload.assignee, 'email');
  const assignee = assigneePayload ? mapAdmin(sourceId, assigneePayload) : null;
  const category = withText(payload.category, 'slug');
  const channel = category ? mapChannel(sourceId, category) : null;
  // `{}` (or no time) is no message Parley can name.
  const lastMessage = withText(payload.last_customer_message, 'created_at');
  const lastPart = lastMessage ? lastCustomerMessagePart(sourceId, payload.slug, lastMessage, user?.nativeId ?? null) : null;
  const lastReplyFrom = inferLastReplyFrom(payload.status, updatedAt, lastCustomerAt);

  const conversation: Conversation = {
    sourceId,
    provider: PROVIDER,
    nativeId: payload.slug,
    raw: payload,
    subject: payload.subject ?? payload.display_subject ?? null,
    status,
    nativeStatus,
    closed: status === 'CLOSED',
    createdAt,
    // List rows always carry updated_at (`listedConversationSchema`); a detail without it is never merged by this key.
    lastUpdateMicros: (updatedAt ?? lastCustomerAt ?? createdAt) * 1000,
    lastUserReplyAt: lastCustomerAt,
    delayedUntil: isoToMillis(payload.hold_until),
    tags: payload.tag_list ?? [],
    important: null,
    answered: lastReplyFrom === null ? null : lastReplyFrom === 'ADMIN',
    lastReplyFrom,
    channelKind: channel?.type ?? null,
    priority: null,
    partsCount: numberOf(payload.message_count),
    unreadCount: null,
    botManaged,
    assigneeId: assignee?.nativeId ?? null,
    lastAdminId: null,
    userId: user?.nativeId ?? null,
    channelId: channel?.nativeId ?? null,
    lastPart,
    // The last customer message is the last reply only when nothing came after it.
    lastReply: lastReplyFrom === 'USER' ? lastPart : null,
    url: payload.perma_url || null,
  };
  return {
    conversation,
    included: {
      users: user ? [user] : [],
      admins: assignee ? [assignee] : [],
      channels: channel ? [channel] : [],
      parts: lastPart ? [lastPart] : [],
    },
  };
}

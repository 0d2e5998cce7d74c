/**
 * The simulator's records, in Carrot quest's own vocabulary (providers.md 1.5, 1.6).
 * Field names that appear on the wire keep their wire spelling; references to other
 * records are ids (`assigneeId`, `userId`, ...) that the serialiser resolves into the
 * embedded objects. Every id is a decimal string: conversation and part ids are above
 * 2^53 and only ever become numbers as text.
 */

/** The documented assistant types (providers.md 1.3). */
export const ASSISTANT_TYPES = ['dialogflow', 'lead_bot', 'routing_bot', 'facebook_bot', 'telegram_bot', 'widget_bot'] as const;
export type AssistantType = (typeof ASSISTANT_TYPES)[number];

export type ConversationType = 'email' | 'incoming_email' | 'popup_chat' | 'lead_bot' | 'routing_bot';
export type ChannelType = 'email' | 'mobile' | 'manual' | 'vk' | 'facebook' | 'instagram' | 'telegram' | 'viber' | 'whatsapp';
export type PartType = 'reply_user' | 'reply_admin' | 'auto_reply' | 'note' | 'assigned' | 'tag_added' | 'tag_deleted' | 'closed' | 'delayed' | 'channel_changed' | 'article';
export type SentVia = 'web_user' | 'web_panel' | 'email_user' | 'email_admin' | 'message_auto' | 'message_manual';

/** The optional fields of a Conversation (providers.md 1.6). */
export const OPTIONAL_FIELDS = ['user', 'channel', 'part_last', 'important_part_last', 'reply_last'] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

export interface AdminRecord {
  id: string;
  name: string;
  avatar: string;
  type: 'admin' | 'bot';
}

export interface UserRecord {
  id: string;
  app: string;
  /** The customer's id in the company's own system (a string), or null. */
  user_id: string | null;
  presence: 'online' | 'idle' | 'offline';
  /** System props (`$name`, `$email`, `$phone`, `$last_seen`...); unset ones are absent. */
  props: Record<string, string>;
  props_custom: Record<string, string>;
}

export interface ChannelRecord {
  id: string;
  name: string;
  avatar: string;
  type: ChannelType;
  droppable: boolean;
  operatorIds: string[];
  priority: number;
}

export interface AttachmentRecord {
  filename: string;
  mime_type: string;
  size: number;
  url: string;
}

/** Who wrote a part: a user id, an admin id, or the id-less `default_admin` of system events. */
export type PartAuthorRef = { kind: 'user'; id: string } | { kind: 'admin'; id: string } | { kind: 'default_admin' };

export interface PartRecord {
  id: string;
  conversation: string;
  /** Unix seconds (integers on parts, as in every documented example). */
  created: number;
  /** Epoch microseconds of the part; the last part's becomes the conversation's `last_update`. */
  atMicros: number;
  type: PartType;
  /** Empty for system parts. */
  body: string;
  from: PartAuthorRef;
  /** Absent on the wire when null (system parts). */
  sent_via: SentVia | null;
  read: boolean;
  attachments: AttachmentRecord[];
  /** Only on `tag_added` and `tag_deleted`. */
  tag: string | null;
  /** Only on `assigned`: the admin it was assigned to. */
  assigneeId: string | null;
  /** The `external_id` a reply was sent with (write endpoints only). */
  externalId?: string;
  /** The `random_id` a write was sent with (write endpoints only; 0 when none). */
  randomId?: number;
}

export interface ConversationRecord {
  id: string;
  created: number;
  replied: boolean;
  /** Unix seconds while snoozed; a time in the past no longer counts as delayed. */
  delayed_until: number | null;
  closed: boolean;
  message: string | null;
  type: ConversationType;
  reply_type: 'text' | 'email';
  reply_last_type: 'reply_user' | 'reply_admin' | null;
  parts_count: number;
  assigneeId: string | null;
  sended_time: number;
  admin_unread_count: number;
  user_unread_count: number;
  not_answered_admin_replies: number;
  replies_count: number;
  lastAdminId: string | null;
  /** Unix seconds with microseconds (the list's order key, with `id`). */
  last_update: number;
  tags: string[];
  important: boolean;
  external_service: string | null;
  external_id: string | null;
  last_user_reply_time: number | null;
  status: 'sent' | 'delivered' | null;
  assistant_type: AssistantType | null;
  recipient_type: 'web';
  userId: string;
  channelId: string | null;
  /** Chronological, which is also ascending id order. */
  parts: PartRecord[];
  /** The operators read the thread up to this part time (epoch microseconds). @default none */
  adminReadMicros?: number;
  /** The user read the thread up to this part time (epoch microseconds). @default none */
  userReadMicros?: number;
}

/** `(last_update, id)` descending: the list order (providers.md 1.3). */
export function compareConversationsDesc(a: ConversationRecord, b: ConversationRecord): number {
  if (a.last_update !== b.last_update) return b.last_update - a.last_update;
  return compareIds(b.id, a.id);
}

/** Compares decimal id strings numerically (they do not fit a double). */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

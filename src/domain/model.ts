/**
 * The unified model every provider maps onto. Carrot quest's Conversation entity is the
 * reference shape (design.md section 3). Times are epoch milliseconds; the conversation's
 * order key keeps microseconds because Carrot quest's `last_update` has them and its own
 * keyset order must survive the merge.
 */

// The provider names are derived from the declarations (providers/catalogue.ts).
export { PROVIDERS, type ProviderName } from '../providers/catalogue.js';
import type { ProviderName } from '../providers/catalogue.js';

export const CONVERSATION_STATUSES = ['OPEN', 'PENDING', 'SNOOZED', 'CLOSED'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const PART_KINDS = ['USER_REPLY', 'ADMIN_REPLY', 'BOT_REPLY', 'NOTE', 'SYSTEM'] as const;
export type PartKind = (typeof PART_KINDS)[number];

export const PARTICIPANT_KINDS = ['USER', 'ADMIN'] as const;
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];

/** Where a node lives: every node carries its source and the provider's own id. */
export interface NodeOrigin {
  sourceId: string;
  provider: ProviderName;
  /** The provider's own id, always a string (Carrot quest ids are 64-bit). */
  nativeId: string;
  /** The provider's payload for this object, served by the `raw` field. */
  raw: unknown;
}

export interface Conversation extends NodeOrigin {
  subject: string | null;
  status: ConversationStatus;
  /** The provider's own status value, never lost even when `status` is a neutral mapping. */
  nativeStatus: string;
  closed: boolean;
  createdAt: number;
  /** Time of the last activity in epoch microseconds: the merge order key. */
  lastUpdateMicros: number;
  lastUserReplyAt: number | null;
  delayedUntil: number | null;
  tags: string[];
  important: boolean | null;
  /** True when the last reply came from an admin. Null when the provider cannot tell. */
  answered: boolean | null;
  lastReplyFrom: ParticipantKind | null;
  /** The provider's channel kind (`popup_chat`, `Channel::Email`, `email`...). */
  channelKind: string | null;
  priority: string | null;
  partsCount: number | null;
  unreadCount: number | null;
  /** True when a bot or assistant manages the conversation. */
  botManaged: boolean;
  assigneeId: string | null;
  lastAdminId: string | null;
  userId: string | null;
  channelId: string | null;
  lastPart: ConversationPart | null;
  lastReply: ConversationPart | null;
  url: string | null;
}

export interface Attachment {
  name: string | null;
  url: string;
  contentType: string | null;
  size: number | null;
}

export type AuthorRef = { kind: 'USER'; id: string } | { kind: 'ADMIN'; id: string };

export interface ConversationPart extends NodeOrigin {
  conversationId: string;
  createdAt: number;
  kind: PartKind;
  nativeType: string;
  body: string | null;
  internal: boolean;
  author: AuthorRef | null;
  attachments: Attachment[];
}

export interface User extends NodeOrigin {
  name: string | null;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  avatarUrl: string | null;
}

export interface Admin extends NodeOrigin {
  name: string | null;
  email: string | null;
  avatarUrl: string | null;
  isBot: boolean;
}

export interface Channel extends NodeOrigin {
  name: string | null;
  type: string | null;
}

/**
 * Objects a list or detail payload already carried, so the request's DataLoaders can be
 * primed with them instead of asking the provider again.
 */
export interface Included {
  users: User[];
  admins: Admin[];
  channels: Channel[];
  parts: ConversationPart[];
}

export function emptyIncluded(): Included {
  return { users: [], admins: [], channels: [], parts: [] };
}

import type { ChannelKind } from '../data.js';

/**
 * The simulator's records in Re:amaze's own terms (slugs, status and channel codes,
 * people keyed by email), with times kept as epoch ms; `serialize.ts` turns them into
 * wire JSON. Objects reference each other directly so tests can brute-force expected
 * answers (`c.author.email`, `c.category.slug`).
 */

export interface StaffRecord {
  kind: 'staff';
  /** Re:amaze's internal user id: shown on followers/assignee, never on `/staff` (providers.md 3.5). */
  userId: number;
  name: string;
  email: string;
  isBot: boolean;
  isAdmin: boolean;
  createdAt: number;
}

export interface ContactRecord {
  kind: 'customer';
  /** The numeric `_id`; a conversation's `author.id` is this number. */
  internalId: number;
  /** The SSO id (`id` on contacts, matched by `for_id`), or null. */
  ssoId: string | null;
  name: string;
  email: string | null;
  mobile: string | null;
  friendlyName: string;
  data: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export type PersonRecord = StaffRecord | ContactRecord;

export interface ChannelRecord {
  slug: string;
  name: string;
  email: string;
  /** `category.channel` code (providers.md 3.3). */
  channel: number;
  /** 0 private, 1 public. */
  visibility: 0 | 1;
  createdAt: number;
  updatedAt: number;
}

export interface AttachmentRecord {
  fileName: string;
  contentType: string;
  size: number;
  url: string;
}

/** Message visibility (providers.md 3.4): 0 regular, 1 internal note, 2 collision detected. */
export type Visibility = 0 | 1 | 2;

export interface MessageRecord {
  body: string;
  visibility: Visibility;
  origin: number;
  createdAt: number;
  user: PersonRecord;
  attachments: AttachmentRecord[];
  /** The sender's own id of the message (`origin_id`), set by API clients. @default null */
  originId?: string | null;
}

export interface ConversationRecord {
  slug: string;
  subject: string;
  status: StatusCode;
  createdAt: number;
  /** Any change: a message, a status change, a system event that shows no message. */
  updatedAt: number;
  /** Set only while status is 5 (On Hold). */
  holdUntil: number | null;
  origin: number;
  data: Record<string, string>;
  tags: string[];
  author: ContactRecord;
  assignee: StaffRecord | null;
  category: ChannelRecord;
  /** The author first, then staff in the order they first wrote (providers.md 3.2 doc note). */
  followers: PersonRecord[];
  /** Oldest first. */
  messages: MessageRecord[];
}

export type StatusCode = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
export const STATUS_CODES: readonly StatusCode[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

export const STATUS = {
  open: 0,
  responded: 1,
  resolved: 2,
  spam: 3,
  archived: 4,
  onHold: 5,
  autoResolved: 6,
  chatbotAssigned: 7,
  chatbotResolved: 8,
  spamAi: 9,
} as const satisfies Record<string, StatusCode>;

/**
 * World channel kinds as Re:amaze channel codes (providers.md 3.3). Re:amaze has no
 * Telegram channel, so the world's Telegram inbox becomes a Twitter one.
 */
export const CHANNEL_CODE: Record<ChannelKind, number> = {
  email: 1,
  telegram: 2,
  facebook: 3,
  chat: 6,
  instagram: 8,
  sms: 9,
  whatsapp: 15,
};
/** Conversations the world puts in no channel arrive through the API channel (doc: 7 API). */
export const API_CHANNEL_CODE = 7;

/** `origin` codes from the doc excerpt (provider-docs/003). */
export const ORIGIN = {
  chat: 0,
  email: 1,
  twitter: 2,
  facebook: 3,
  classicChat: 6,
  api: 7,
  instagram: 8,
  sms: 9,
  whatsapp: 15,
  staffOutbound: 16,
  contactForm: 17,
} as const;

/** The last message a customer wrote, or null (`last_customer_message`, `sort=updated`). */
export function lastCustomerMessage(conversation: ConversationRecord): MessageRecord | null {
  for (let i = conversation.messages.length - 1; i >= 0; i--) {
    const message = conversation.messages[i]!;
    if (message.user.kind === 'customer') return message;
  }
  return null;
}

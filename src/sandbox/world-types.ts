/** The provider-neutral world every simulator's records are made from (data.ts builds it). */

export type ChannelKind = 'email' | 'chat' | 'facebook' | 'telegram' | 'whatsapp' | 'sms' | 'instagram';
export type ConversationState = 'open' | 'pending' | 'snoozed' | 'closed' | 'archived' | 'spam';
export type PartKind = 'reply' | 'note' | 'system' | 'bot';

export interface WorldAgent {
  key: number;
  name: string;
  email: string;
  avatarUrl: string;
  isBot: boolean;
  role: 'administrator' | 'agent';
  createdAt: number;
}

export interface WorldCustomer {
  key: number;
  name: string;
  email: string | null;
  phone: string | null;
  /** The customer's id in the company's own system, when it sent one. */
  externalId: string | null;
  avatarUrl: string | null;
  createdAt: number;
  lastSeenAt: number;
}

export interface WorldChannel {
  key: number;
  name: string;
  kind: ChannelKind;
  email: string;
  /** Agents who work this channel. */
  agentKeys: number[];
}

export interface WorldTeam {
  key: number;
  name: string;
  agentKeys: number[];
}

export type PartAuthor =
  | { type: 'customer'; key: number }
  | { type: 'agent'; key: number }
  | { type: 'system' };

export interface WorldAttachment {
  name: string;
  contentType: string;
  size: number;
  url: string;
}

export interface WorldPart {
  /** Epoch milliseconds. */
  at: number;
  kind: PartKind;
  author: PartAuthor;
  body: string;
  attachments: WorldAttachment[];
}

export interface WorldConversation {
  key: number;
  subject: string;
  customerKey: number;
  channelKey: number | null;
  teamKey: number | null;
  assigneeKey: number | null;
  tags: string[];
  state: ConversationState;
  /** Set for snoozed conversations: epoch milliseconds in the future of `now`. */
  snoozedUntil: number | null;
  priority: 'low' | 'medium' | 'high' | 'urgent' | null;
  /** A bot or assistant manages it. */
  botManaged: boolean;
  createdAt: number;
  /** Chronological; never empty. The last one's time is the last activity. */
  parts: WorldPart[];
  /** Custom key/value data (order ids and the like). */
  data: Record<string, string>;
}

export interface World {
  now: number;
  agents: WorldAgent[];
  customers: WorldCustomer[];
  channels: WorldChannel[];
  teams: WorldTeam[];
  tags: string[];
  conversations: WorldConversation[];
}

export interface WorldOptions {
  seed: number;
  /** The moment the world is generated at (epoch ms); all activity lies before it. */
  now: number;
  /** @default 300 */
  conversations?: number;
  /** @default 1..40 parts per conversation */
  maxParts?: number;
  /** Share of conversations whose last activity repeats another's exactly. @default 0.1 */
  tieShare?: number;
  /**
   * Page size of a provider that paginates by page number: at every multiple of it in
   * last-activity order, a group of conversations shares one last-activity time, so the
   * page boundary falls inside the group. @default none
   */
  tiesAcrossPages?: { pageSize: number; groupSize?: number };
}

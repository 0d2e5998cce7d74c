/**
 * Chatwoot's records as its database holds them (providers.md section 2), before any
 * view turns them into wire JSON. Times are epoch milliseconds unless the name says
 * otherwise; `null` is a NULL column (the views serialise most of them as `0`).
 */

export type CwStatus = 'open' | 'resolved' | 'pending' | 'snoozed';
export type CwPriority = 'low' | 'medium' | 'high' | 'urgent';

/** DB enum values: `ORDER BY priority` sorts on these integers, not on the names. */
export const PRIORITY_RANK: Record<CwPriority, number> = { low: 0, medium: 1, high: 2, urgent: 3 };

/** `message_type` integers (app/models/message.rb). */
export const MESSAGE_TYPE = { incoming: 0, outgoing: 1, activity: 2, template: 3 } as const;
export type CwMessageType = (typeof MESSAGE_TYPE)[keyof typeof MESSAGE_TYPE];

export interface CwAccount {
  id: number;
  name: string;
}

export interface CwUser {
  id: number;
  name: string;
  email: string;
  role: 'administrator' | 'agent';
  accessToken: string;
  availabilityStatus: 'online' | 'busy' | 'offline';
  avatarUrl: string;
  createdAt: number;
}

export interface CwAgentBot {
  id: number;
  name: string;
  description: string;
  avatarUrl: string;
  outgoingUrl: string;
  accessToken: string;
}

export type CwChannelType =
  | 'Channel::WebWidget'
  | 'Channel::Api'
  | 'Channel::Email'
  | 'Channel::FacebookPage'
  | 'Channel::Whatsapp'
  | 'Channel::Sms'
  | 'Channel::Telegram'
  | 'Channel::Instagram';

export interface CwInbox {
  id: number;
  name: string;
  channelType: CwChannelType;
  /** Row id in the channel's own table (channel_web_widgets, channel_email, ...). */
  channelId: number;
  email: string | null;
  phoneNumber: string | null;
  websiteUrl: string | null;
  /** Users who are inbox members (`inbox_members`). */
  memberIds: number[];
}

export interface CwTeam {
  id: number;
  name: string;
  description: string;
  allowAutoAssign: boolean;
  memberIds: number[];
}

export interface CwContact {
  id: number;
  name: string;
  email: string | null;
  phoneNumber: string | null;
  /** The company's own id for the contact. */
  identifier: string | null;
  /** Avatar URL, or '' (Chatwoot's `avatar_url` for none). */
  thumbnail: string;
  createdAt: number;
  lastActivityAt: number | null;
}

export interface CwContactInbox {
  contactId: number;
  inboxId: number;
  sourceId: string;
}

export interface CwAttachment {
  id: number;
  fileType: 'image' | 'file';
  extension: string;
  dataUrl: string;
  fileSize: number;
}

export interface CwMessage {
  /** Global DB id: ids of other accounts fill the gaps between ours. */
  id: number;
  /** The conversation's per-account display id. */
  conversationId: number;
  inboxId: number;
  content: string | null;
  messageType: CwMessageType;
  contentType: 'text' | 'incoming_email';
  private: boolean;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  senderType: 'Contact' | 'User' | 'AgentBot' | null;
  senderId: number | null;
  createdAt: number;
  updatedAt: number;
  attachments: CwAttachment[];
  /** The `content_attributes` JSON column (a Rails `store`: any keys a caller sent are kept). @default {} */
  contentAttributes?: Record<string, unknown>;
}

export interface CwConversation {
  /** Per-account display id, 1..N in creation order: the `id` of every payload. */
  displayId: number;
  uuid: string;
  inboxId: number;
  contactId: number;
  /** `contact_inboxes.source_id` of the conversation's contact inbox. */
  sourceId: string;
  status: CwStatus;
  snoozedUntil: number | null;
  /** A human assignee (`assignee_id`). */
  assigneeId: number | null;
  /** A bot assignee (`assignee_agent_bot_id`); `assignee_id` stays NULL then. */
  assigneeAgentBotId: number | null;
  teamId: number | null;
  labels: string[];
  priority: CwPriority | null;
  createdAt: number;
  lastActivityAt: number;
  /** `updated_at` in microseconds: the wire sends it as a float of seconds. */
  updatedAtUs: number;
  agentLastSeenAt: number | null;
  assigneeLastSeenAt: number | null;
  contactLastSeenAt: number | null;
  firstReplyCreatedAt: number | null;
  waitingSince: number | null;
  additionalAttributes: Record<string, unknown>;
  customAttributes: Record<string, unknown>;
  /** `conversation_participants`: users who were assigned, wrote, or were mentioned. */
  participantIds: number[];
}

export interface CwMention {
  userId: number;
  conversationId: number;
  messageId: number;
}

/**
 * The simulator's records in Intercom's own vocabulary (docs/providers/intercom.md
 * sections 3 and 8). Wire names keep their wire spelling; references to other records are
 * ids the serialiser turns into the nested objects. Times are unix seconds.
 */

export type ConversationState = 'open' | 'closed' | 'snoozed';
/** `source.type` values the search docs list. */
export type SourceType = 'conversation' | 'email' | 'facebook' | 'instagram' | 'phone_call' | 'push' | 'sms' | 'twitter' | 'whatsapp';
export type AuthorType = 'user' | 'lead' | 'admin' | 'bot' | 'team';
export type PartType = 'comment' | 'note' | 'assignment' | 'open' | 'close' | 'snoozed';

export interface AdminRecord {
  id: string;
  name: string;
  email: string;
  job_title: string | null;
  away_mode_enabled: boolean;
  has_inbox_seat: boolean;
  team_ids: number[];
  avatar: string | null;
  /** Bots author parts but are not teammates: `GET /admins` leaves them out (section 8). */
  isBot: boolean;
}

export interface TeamRecord {
  id: string;
  name: string;
  admin_ids: number[];
}

export interface TagRecord {
  id: string;
  name: string;
}

export interface ContactRecord {
  id: string;
  external_id: string | null;
  role: 'user' | 'lead';
  email: string | null;
  phone: string | null;
  name: string | null;
  avatar: string | null;
  created_at: number;
  updated_at: number;
  last_seen_at: number | null;
}

export interface AuthorRef {
  type: AuthorType;
  id: string;
}

export interface AssignedRef {
  type: 'admin' | 'team';
  id: string;
}

export interface AttachmentRecord {
  name: string;
  url: string;
  content_type: string;
  filesize: number;
}

/** The first message (the conversation's `source`) or a later conversation part. */
export interface PartRecord {
  id: string;
  part_type: PartType;
  /** HTML; null for state changes without a message. */
  body: string | null;
  created_at: number;
  author: AuthorRef;
  attachments: AttachmentRecord[];
  /** On `assignment` parts: the admin or team assigned (null when unassigned). */
  assigned_to: AssignedRef | null;
}

export interface ConversationRecord {
  id: string;
  title: string | null;
  created_at: number;
  /** The list and search order key (with `id`). */
  updated_at: number;
  state: ConversationState;
  snoozed_until: number | null;
  read: boolean;
  priority: 'priority' | 'not_priority';
  adminAssigneeId: string | null;
  teamAssigneeId: string | null;
  tagIds: string[];
  contactId: string;
  sourceType: SourceType;
  deliveredAs: 'customer_initiated' | 'admin_initiated';
  /** The conversation's first message. */
  source: PartRecord;
  /** Every later part, oldest first; the API shows only the newest 500. */
  parts: PartRecord[];
  ai_agent_participated: boolean;
}

/** Wire order of lists and search: `updated_at` descending, then id descending (section 5). */
export function compareConversations(a: ConversationRecord, b: ConversationRecord): number {
  if (a.updated_at !== b.updated_at) return b.updated_at - a.updated_at;
  return compareDecimal(b.id, a.id);
}

export function compareDecimal(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** The comments (not notes, not bots) of the thread, source included: what "last reply" statistics read. */
export function repliesOf(conversation: ConversationRecord): PartRecord[] {
  return [conversation.source, ...conversation.parts].filter((part) => part.part_type === 'comment' && part.author.type !== 'bot');
}

export const isContactAuthor = (author: AuthorRef): boolean => author.type === 'user' || author.type === 'lead';

import type {
  Admin,
  Attachment,
  AuthorRef,
  Channel,
  Conversation,
  ConversationPart,
  ConversationStatus,
  Included,
  ParticipantKind,
  PartKind,
  User,
} from '../../domain/model.js';
import { numberOf } from '../kit/wire.js';
import {
  idOf,
  type IntercomAdmin,
  type IntercomAttachment,
  type IntercomAuthor,
  type IntercomContact,
  type IntercomConversation,
  type IntercomPart,
  type IntercomSource,
  type IntercomTeam,
} from './schemas.js';

/** Pure Intercom payload -> unified model (docs/providers/intercom.md section 9). */

const PROVIDER = 'intercom';

const STATUSES: Record<string, ConversationStatus> = { open: 'OPEN', snoozed: 'SNOOZED', closed: 'CLOSED' };
const CONTACT_TYPES = new Set(['user', 'lead', 'contact']);

export const millis = (seconds: number | null | undefined): number | null =>
  seconds === null || seconds === undefined || seconds <= 0 ? null : Math.round(seconds * 1000);

/** `admin_assignee_id` and `team_assignee_id` name nobody when null, absent or 0 (the list example shows 0). */
function assigned(id: string | number | null | undefined): string | null {
  const text = idOf(id);
  return text === null || text === '0' ? null : text;
}

/** The list row as a conversation; parts are known only when the payload carries them (`parts`). */
export function mapConversation(row: IntercomConversation, sourceId: string, parts: ConversationPart[] = []): Conversation {
  const id = idOf(row.id)!;
  const lastReplyFrom = lastReplier(row);
  const replies = parts.filter((part) => part.kind === 'USER_REPLY' || part.kind === 'ADMIN_REPLY');
  return {
    sourceId,
    provider: PROVIDER,
    nativeId: id,
    raw: row,
    subject: row.title || row.source?.subject || null,
    status: STATUSES[row.state] ?? 'OPEN',
    nativeStatus: row.state,
    closed: row.state === 'closed',
    createdAt: Math.round(row.created_at * 1000),
    lastUpdateMicros: Math.round(row.updated_at * 1e6),
    lastUserReplyAt: millis(row.statistics?.last_contact_reply_at),
    delayedUntil: millis(row.snoozed_until),
    tags: (row.tags?.tags ?? []).flatMap((tag) => (tag.name ? [tag.name] : [])),
    important: row.priority === 'priority' ? true : row.priority === 'not_priority' ? false : null,
    answered: lastReplyFrom === null ? null : lastReplyFrom === 'ADMIN',
    lastReplyFrom,
    channelKind: row.source?.type ?? null,
    priority: row.priority ?? null,
    partsCount: numberOf(row.statistics?.count_conversation_parts),
    // Intercom says whether a conversation was read, not how many parts were not: read means none.
    unreadCount: row.read === true ? 0 : null,
    botManaged: row.ai_agent_participated === true,
    assigneeId: assigned(row.admin_assignee_id),
    lastAdminId: null,
    userId: idOf(row.contacts?.contacts?.[0]?.id),
    channelId: assigned(row.team_assignee_id),
    lastPart: parts.at(-1) ?? null,
    lastReply: replies.at(-1) ?? null,
    url: null,
  };
}

/**
 * `waiting_since` is set while the contact waits for an answer and null once an admin
 * replied; the statistics' reply times say whether anyone replied at all.
 */
function lastReplier(row: IntercomConversation): ParticipantKind | null {
  if (row.waiting_since) return 'USER';
  if (row.statistics?.last_admin_reply_at) return 'ADMIN';
  return row.statistics?.last_contact_reply_at ? 'USER' : null;
}

const KINDS: Record<string, PartKind> = { note: 'NOTE' };

export function mapPart(part: IntercomPart, conversationId: string, sourceId: string, nativeType = part.part_type ?? ''): ConversationPart {
  const authorType = part.author?.type ?? '';
  const comment = nativeType === 'comment' || nativeType === 'source';
  const kind: PartKind =
    KINDS[nativeType] ?? (!comment ? 'SYSTEM' : CONTACT_TYPES.has(authorType) ? 'USER_REPLY' : authorType === 'bot' ? 'BOT_REPLY' : authorType === 'admin' ? 'ADMIN_REPLY' : 'SYSTEM');
  return {
    sourceId,
    provider: PROVIDER,
    nativeId: idOf(part.id)!,
    raw: part,
    conversationId,
    createdAt: millis(part.created_at) ?? 0,
    kind,
    nativeType,
    body: part.body ? part.body : null,
    internal: nativeType === 'note',
    author: authorOf(part.author),
    attachments: (part.attachments ?? []).flatMap(mapAttachment),
  };
}

/** The first message is the conversation's `source`; Parley lists it as the thread's first part. */
export function mapSourcePart(source: IntercomSource, conversationId: string, sourceId: string): ConversationPart | null {
  return idOf(source.id) === null ? null : mapPart({ ...source, id: source.id! }, conversationId, sourceId, 'source');
}

function authorOf(author: IntercomAuthor | null | undefined): AuthorRef | null {
  const id = idOf(author?.id);
  if (!author || id === null) return null;
  if (CONTACT_TYPES.has(author.type ?? '')) return { kind: 'USER', id };
  return author.type === 'admin' || author.type === 'bot' ? { kind: 'ADMIN', id } : null;
}

function mapAttachment(attachment: IntercomAttachment): Attachment[] {
  if (!attachment.url) return [];
  return [{ name: attachment.name ?? null, url: attachment.url, contentType: attachment.content_type ?? null, size: numberOf(attachment.filesize) }];
}

export function mapAdmin(admin: IntercomAdmin, sourceId: string): Admin {
  return {
    sourceId,
    provider: PROVIDER,
    nativeId: idOf(admin.id)!,
    raw: admin,
    name: admin.name || null,
    email: admin.email || null,
    avatarUrl: admin.avatar?.image_url || null,
    isBot: false,
  };
}

/** A bot author is no teammate (`GET /admins` leaves it out): the part's author object is all Parley knows of it. */
export function botFromAuthor(author: IntercomAuthor, sourceId: string): Admin | null {
  const id = idOf(author.id);
  if (author.type !== 'bot' || id === null) return null;
  return { sourceId, provider: PROVIDER, nativeId: id, raw: author, name: author.name || null, email: author.email || null, avatarUrl: null, isBot: true };
}

export function mapTeam(team: IntercomTeam, sourceId: string): Channel {
  return { sourceId, provider: PROVIDER, nativeId: idOf(team.id)!, raw: team, name: team.name || null, type: 'team' };
}

export function mapContact(contact: IntercomContact, sourceId: string): User {
  const avatar = typeof contact.avatar === 'string' ? contact.avatar : contact.avatar?.image_url;
  return {
    sourceId,
    provider: PROVIDER,
    nativeId: idOf(contact.id)!,
    raw: contact,
    name: contact.name || null,
    email: contact.email || null,
    phone: contact.phone || null,
    externalId: contact.external_id || null,
    avatarUrl: avatar || null,
  };
}

/**
 * What list rows already say about their contact: the first message's author when the
 * contact wrote it (name, email) and the contact reference (external id). Phone and avatar
 * come only from the contact itself, so rows whose first message an admin wrote prime nothing.
 */
export function collectIncluded(rows: readonly IntercomConversation[], sourceId: string): Included {
  const users = new Map<string, User>();
  for (const row of rows) {
    const author = row.source?.author;
    const reference = row.contacts?.contacts?.[0];
    const id = idOf(reference?.id);
    if (!author || id === null || idOf(author.id) !== id || !CONTACT_TYPES.has(author.type ?? '') || users.has(id)) continue;
    users.set(id, mapContact({ id, name: author.name, email: author.email, external_id: (reference as { external_id?: string | null }).external_id ?? null }, sourceId));
  }
  return { users: [...users.values()], admins: [], channels: [], parts: [] };
}

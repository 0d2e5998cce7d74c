import type { IntercomReadings } from './readings.js';
import { isContactAuthor, repliesOf, type AdminRecord, type ContactRecord, type ConversationRecord, type PartRecord, type TagRecord, type TeamRecord } from './records.js';
import type { IntercomStore } from './store.js';

/** Records -> Intercom's JSON objects (docs/providers/intercom.md sections 6 and 8). */

/** The API shows at most this many parts of one conversation: the newest ones. */
export const MAX_PARTS = 500;

export function conversation(record: ConversationRecord, store: IntercomStore, readings: IntercomReadings, withParts: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: 'conversation',
    id: record.id,
    title: record.title,
    created_at: record.created_at,
    updated_at: record.updated_at,
    waiting_since: waitingSince(record),
    snoozed_until: record.snoozed_until,
    open: record.state !== 'closed',
    state: record.state,
    read: record.read,
    priority: record.priority,
    // Integers on the wire, as in the list and search examples.
    admin_assignee_id: record.adminAssigneeId === null ? readings.unassignedAdminId : Number(record.adminAssigneeId),
    team_assignee_id: record.teamAssigneeId === null ? null : Number(record.teamAssigneeId),
    tags: { type: 'tag.list', tags: record.tagIds.map((id) => tag(store.tag(id)!)) },
    source: {
      type: record.sourceType,
      id: record.source.id,
      delivered_as: record.deliveredAs,
      subject: record.title ?? '',
      body: record.source.body ?? '',
      author: author(record.source, store),
      attachments: record.source.attachments.map(attachment),
      url: null,
      redacted: false,
    },
    contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: record.contactId, external_id: store.contact(record.contactId)?.external_id ?? null }] },
    teammates: { type: 'admin.list', admins: teammates(record).map((id) => ({ type: 'admin', id })) },
    custom_attributes: {},
    statistics: statistics(record),
    ai_agent_participated: record.ai_agent_participated,
  };
  if (!withParts) return body;
  const all = record.parts;
  return {
    ...body,
    conversation_parts: { type: 'conversation_part.list', conversation_parts: all.slice(-MAX_PARTS).map((p) => part(p, store)), total_count: all.length },
  };
}

export function part(record: PartRecord, store: IntercomStore): Record<string, unknown> {
  return {
    type: 'conversation_part',
    id: record.id,
    part_type: record.part_type,
    body: record.body,
    created_at: record.created_at,
    updated_at: record.created_at,
    notified_at: record.created_at,
    assigned_to: record.assigned_to === null ? null : { ...record.assigned_to },
    author: author(record, store),
    attachments: record.attachments.map(attachment),
    external_id: null,
    redacted: false,
  };
}

function author(record: PartRecord, store: IntercomStore): Record<string, unknown> {
  const { type, id } = record.author;
  if (isContactAuthor(record.author)) {
    const contact = store.contact(id);
    return { type, id, name: contact?.name ?? null, email: contact?.email ?? '' };
  }
  const admin = store.admin(id);
  return { type, id, name: admin?.name ?? null, email: admin?.email ?? '' };
}

function attachment(record: PartRecord['attachments'][number]): Record<string, unknown> {
  return { type: 'upload', name: record.name, url: record.url, content_type: record.content_type, filesize: record.filesize, width: null, height: null };
}

/** The time the contact started waiting: their last reply when no admin answered it since. */
function waitingSince(record: ConversationRecord): number | null {
  const last = repliesOf(record).at(-1);
  return last && isContactAuthor(last.author) ? last.created_at : null;
}

function statistics(record: ConversationRecord): Record<string, unknown> {
  const replies = repliesOf(record);
  const lastOf = (contact: boolean) => replies.filter((p) => isContactAuthor(p.author) === contact).at(-1)?.created_at ?? null;
  return {
    type: 'conversation_statistics',
    last_contact_reply_at: lastOf(true),
    last_admin_reply_at: lastOf(false),
    count_conversation_parts: record.parts.length,
  };
}

function teammates(record: ConversationRecord): string[] {
  const ids = [record.source, ...record.parts].filter((p) => p.author.type === 'admin').map((p) => p.author.id);
  return [...new Set(ids)];
}

export function tag(record: TagRecord): Record<string, unknown> {
  return { type: 'tag', id: record.id, name: record.name };
}

export function admin(record: AdminRecord): Record<string, unknown> {
  return {
    type: 'admin',
    id: record.id,
    name: record.name,
    email: record.email,
    job_title: record.job_title,
    away_mode_enabled: record.away_mode_enabled,
    away_mode_reassign: false,
    has_inbox_seat: record.has_inbox_seat,
    team_ids: record.team_ids,
    avatar: { image_url: record.avatar },
  };
}

export function team(record: TeamRecord): Record<string, unknown> {
  return { type: 'team', id: record.id, name: record.name, admin_ids: record.admin_ids };
}

export function contact(record: ContactRecord, workspaceId: string): Record<string, unknown> {
  return {
    type: 'contact',
    id: record.id,
    workspace_id: workspaceId,
    external_id: record.external_id,
    role: record.role,
    email: record.email,
    phone: record.phone,
    name: record.name,
    avatar: record.avatar,
    created_at: record.created_at,
    updated_at: record.updated_at,
    last_seen_at: record.last_seen_at,
  };
}

import { invalid, WireError } from './errors.js';
import type { IntercomReadings } from './readings.js';
import type { AdminRecord, ConversationRecord, ConversationState, PartRecord, PartType, TagRecord, TeamRecord } from './records.js';
import { attachmentFromUrl, storedBody } from './reply-body.js';
import type { AdminReply, ConversationUpdate, ManageAction } from './write-params.js';

/**
 * What each write does to a conversation (docs/providers/intercom.md section 10), under the
 * readings of section 11. Each returns the change to announce, named by the webhook topic
 * Intercom would send for it (null: a change with no topic), or null when nothing changed.
 */

export interface WriteScope {
  readings: IntercomReadings;
  /** The write's time, unix seconds. */
  at: number;
  admin(id: string): AdminRecord | undefined;
  team(id: string): TeamRecord | undefined;
  tag(id: string): TagRecord | undefined;
  part(type: PartType, author: PartRecord['author'], at: number, body: string | null): PartRecord;
}

export interface WriteChange {
  topic: string | null;
  part?: PartRecord;
}

/** The topics of the webhook models page (section 10) each write is announced under. */
export const TOPICS = {
  replied: 'conversation.admin.replied',
  noted: 'conversation.admin.noted',
  closed: 'conversation.admin.closed',
  opened: 'conversation.admin.opened',
  snoozed: 'conversation.admin.snoozed',
  unsnoozed: 'conversation.admin.unsnoozed',
  assigned: 'conversation.admin.assigned',
  tagged: 'conversation_part.tag.created',
} as const;

export function reply(scope: WriteScope, conversation: ConversationRecord, input: AdminReply): WriteChange {
  requireAdmin(scope, input.adminId, 'admin_id');
  const part = {
    ...scope.part(input.messageType, { type: 'admin', id: input.adminId }, scope.at, storedBody(input.body, scope.readings.replyBody)),
    attachments: input.attachmentUrls.map(attachmentFromUrl),
  };
  conversation.parts.push(part);
  conversation.updated_at = scope.at;
  if (input.messageType === 'comment' && scope.readings.adminReplyReopens && conversation.state !== 'open') {
    conversation.state = 'open';
    conversation.snoozed_until = null;
  }
  return { topic: input.messageType === 'note' ? TOPICS.noted : TOPICS.replied, part };
}

export function manage(scope: WriteScope, conversation: ConversationRecord, input: ManageAction): WriteChange | null {
  requireAdmin(scope, input.adminId, 'admin_id');
  switch (input.action) {
    case 'close':
      return setState(scope, conversation, { state: 'closed', until: null, adminId: input.adminId, body: input.body });
    case 'open':
      return setState(scope, conversation, { state: 'open', until: null, adminId: input.adminId });
    case 'snoozed':
      if (input.snoozedUntil <= scope.at) throw invalid('snoozed_until must be in the future');
      return setState(scope, conversation, { state: 'snoozed', until: input.snoozedUntil, adminId: input.adminId });
    case 'assignment':
      return assign(scope, conversation, input);
  }
}

interface StateTarget {
  state: ConversationState;
  until: number | null;
  adminId: string;
  body?: string;
}

const STATE_PARTS: Record<ConversationState, PartType> = { open: 'open', closed: 'close', snoozed: 'snoozed' };

function setState(scope: WriteScope, conversation: ConversationRecord, target: StateTarget): WriteChange | null {
  const before = conversation.state;
  if (before === target.state && conversation.snoozed_until === target.until && scope.readings.repeatState === 'unchanged') return null;
  const body = target.body === undefined ? null : storedBody(target.body, scope.readings.replyBody);
  const part = scope.part(STATE_PARTS[target.state], { type: 'admin', id: target.adminId }, scope.at, body);
  conversation.parts.push(part);
  conversation.state = target.state;
  conversation.snoozed_until = target.until;
  conversation.updated_at = scope.at;
  // Inferred: an admin opening a snoozed conversation is what the topics call an unsnooze.
  const topic = target.state === 'closed' ? TOPICS.closed : target.state === 'snoozed' ? TOPICS.snoozed : before === 'snoozed' ? TOPICS.unsnoozed : TOPICS.opened;
  return { topic, part };
}

function assign(scope: WriteScope, conversation: ConversationRecord, input: ManageAction & { action: 'assignment' }): WriteChange | null {
  const next = input.assigneeId === '0' ? null : input.assigneeId;
  const known = next === null || (input.assigneeType === 'admin' ? scope.admin(next) : scope.team(next)) !== undefined;
  if (!known) throw unknownAssignee(scope, input.assigneeType);
  const current = input.assigneeType === 'admin' ? conversation.adminAssigneeId : conversation.teamAssigneeId;
  if (current === next && scope.readings.repeatState === 'unchanged') return null;
  if (input.assigneeType === 'admin') conversation.adminAssigneeId = next;
  else conversation.teamAssigneeId = next;
  const body = input.body === undefined ? null : storedBody(input.body, scope.readings.replyBody);
  const part = {
    ...scope.part('assignment', { type: 'admin', id: input.adminId }, scope.at, body),
    assigned_to: next === null ? null : { type: input.assigneeType, id: next },
  };
  conversation.parts.push(part);
  conversation.updated_at = scope.at;
  return { topic: TOPICS.assigned, part };
}

export function attachTag(scope: WriteScope, conversation: ConversationRecord, tagId: string, adminId: string): WriteChange | null {
  requireAdmin(scope, adminId, 'admin_id');
  if (!scope.tag(tagId)) throw new WireError(404, 'not_found', 'Tag not found');
  if (conversation.tagIds.includes(tagId)) return null;
  conversation.tagIds.push(tagId);
  if (scope.readings.tagsBumpUpdatedAt) conversation.updated_at = scope.at;
  return { topic: TOPICS.tagged };
}

export function detachTag(scope: WriteScope, conversation: ConversationRecord, tagId: string, adminId: string): WriteChange | null {
  requireAdmin(scope, adminId, 'admin_id');
  const attached = conversation.tagIds.includes(tagId);
  // Without the tag there is no tag object to answer with, whatever the reading.
  if (!scope.tag(tagId) || (!attached && scope.readings.untagAbsent === 'tag_not_found')) throw new WireError(404, 'tag_not_found', 'Tag not found');
  if (!attached) return null;
  conversation.tagIds = conversation.tagIds.filter((id) => id !== tagId);
  if (scope.readings.tagsBumpUpdatedAt) conversation.updated_at = scope.at;
  // Intercom has no topic for a tag removed from a conversation.
  return { topic: null };
}

export function update(scope: WriteScope, conversation: ConversationRecord, input: ConversationUpdate): WriteChange | null {
  if (input.read === undefined || input.read === conversation.read) return null;
  conversation.read = input.read;
  if (scope.readings.readBumpsUpdatedAt) conversation.updated_at = scope.at;
  // The webhook topic tables list no topic for a conversation marked read.
  return { topic: null };
}

function requireAdmin(scope: WriteScope, id: string, field: string): void {
  if (!scope.admin(id)) throw unknownAssignee(scope, 'admin', field);
}

function unknownAssignee(scope: WriteScope, kind: 'admin' | 'team', field = 'assignee_id'): WireError {
  const reading = scope.readings.unknownAdmin;
  if (reading === 'parameter_invalid') return invalid(`${field} is not ${kind === 'admin' ? 'an admin' : 'a team'} of this workspace`);
  if (reading === 'admin_not_found' && kind === 'admin') return new WireError(404, 'admin_not_found', `Admin for ${field} not found`);
  return new WireError(404, 'not_found', kind === 'admin' ? 'Admin not found' : 'Team not found');
}

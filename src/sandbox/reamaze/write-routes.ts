import type { SimRequest, SimResponse } from '../kit/simulator-server.js';
import { notFound, unprocessable } from './errors.js';
import { applyStatus } from './live-changes.js';
import type { ReamazeReadings } from './params.js';
import { STATUS, STATUS_CODES, type ConversationRecord, type MessageRecord, type PersonRecord, type StaffRecord, type StatusCode } from './records.js';
import { conversationJson, messageJson, type WireContext } from './serialize.js';
import type { ReamazeStore } from './store.js';
import { attachmentOf, castBoolean, castInteger, isPlainObject, parseTagList } from './write-params.js';

/**
 * Re:amaze's two write endpoints (docs: post_messages, put_conversations): a message on a
 * conversation, and changes to its status, hold, assignee, tags, custom data and channel.
 * Both answer with the object as the read endpoints show it, and 422 with a JSON body when
 * refused; nothing is stored from a refused request.
 */

/** One write request that passed authentication, as the simulator received it. */
export interface WriteEntry {
  method: string;
  path: string;
  /** The staff login (lowercased email) the request authenticated as. */
  login: string;
  body: unknown;
}

export interface WriteContext {
  store: ReamazeStore;
  readings: ReamazeReadings;
  wire: WireContext;
  now: () => number;
}

const missing = (key: string): SimResponse => ({ status: 422, body: { error: `param is missing or the value is empty: ${key}` } });

/** `POST /api/v1/conversations/{slug}/messages`: the message, attributed to the login unless `message.user` names someone. */
export function postMessage(ctx: WriteContext, request: SimRequest, login: StaffRecord): SimResponse {
  const conversation = ctx.store.conversation(request.params.slug ?? '');
  if (!conversation) return notFound();
  const body = request.body;
  const input = isPlainObject(body) ? body.message : undefined;
  if (!isPlainObject(input)) return missing('message');

  const errors: Record<string, string[]> = {};
  const text = typeof input.body === 'string' ? input.body : '';
  if (text.trim() === '') errors.body = ["can't be blank"];
  const visibility = input.visibility === undefined || input.visibility === null ? 0 : castInteger(input.visibility);
  if (visibility !== 0 && visibility !== 1) errors.visibility = ['is not included in the list'];
  const sender = senderOf(ctx, conversation, input.user, login);
  if (!sender) errors.user = ['is invalid'];
  const attachment = typeof input.attachment === 'string' && input.attachment !== '' ? attachmentOf(input.attachment) : undefined;
  if (attachment === null) errors.attachment = ['is invalid'];
  const originId = input.origin_id === undefined || input.origin_id === null || input.origin_id === '' ? null : String(input.origin_id);
  const earlier = originId === null ? undefined : conversation.messages.find((m) => m.originId === originId);
  if (earlier && ctx.readings.originIdRepeat === 'reject') errors.origin_id = ['has already been taken'];
  if (Object.keys(errors).length) return unprocessable(errors);
  if (earlier && ctx.readings.originIdRepeat === 'return-existing') return { status: 200, body: messageJson(earlier, conversation, ctx.wire) };

  const at = ctx.now();
  const message: MessageRecord = {
    body: text,
    visibility: visibility as 0 | 1,
    origin: conversation.origin,
    createdAt: at,
    user: sender!,
    attachments: attachment ? [attachment] : [],
    originId,
  };
  conversation.messages.push(message);
  if (!conversation.followers.includes(sender!)) conversation.followers.push(sender!);
  // Any message moves `updated_at` (what `sort=changed` orders by: "any update").
  conversation.updatedAt = at;
  applyReplyStatus(ctx.readings, conversation, message, castBoolean(input.suppress_autoresolve) === true, at);
  return { status: 201, body: messageJson(message, conversation, ctx.wire) };
}

/**
 * A staff message marks the conversation resolved unless `suppress_autoresolve` (doc:
 * "when message[user] is a staff user"). Whether a note does too, and whether a kept-open
 * reply becomes Responded, are readings.
 */
function applyReplyStatus(readings: ReamazeReadings, conversation: ConversationRecord, message: MessageRecord, suppress: boolean, at: number): void {
  if (message.user.kind !== 'staff') return;
  const resolves = message.visibility === 0 || readings.noteAutoresolves;
  if (resolves && !suppress) return applyStatus(conversation, STATUS.resolved, undefined, at);
  if (message.visibility === 0 && readings.staffReplyStatus === 'responded' && conversation.status === STATUS.open) {
    applyStatus(conversation, STATUS.responded, undefined, at);
  }
}

/** `message.user` ({email, name}) names the sender: a staff member, or the conversation's customer. */
function senderOf(ctx: WriteContext, conversation: ConversationRecord, user: unknown, login: StaffRecord): PersonRecord | null {
  if (user === undefined || user === null) return login;
  const email = isPlainObject(user) && typeof user.email === 'string' ? user.email.trim().toLowerCase() : '';
  if (email === '') return null;
  const staff = ctx.store.staff.find((s) => s.email === email);
  if (staff) return staff;
  return conversation.author.email?.toLowerCase() === email ? conversation.author : null;
}

interface ConversationChange {
  status?: StatusCode;
  holdUntil?: number;
  assignee?: StaffRecord;
  tags?: string[];
  data?: Record<string, string>;
  category?: ConversationRecord['category'];
}

/** `PUT /api/v1/conversations/{slug}`: every given field is checked before any is applied. */
export function putConversation(ctx: WriteContext, request: SimRequest): SimResponse {
  const conversation = ctx.store.conversation(request.params.slug ?? '');
  if (!conversation) return notFound();
  const body = request.body;
  const input = isPlainObject(body) ? body.conversation : undefined;
  if (!isPlainObject(input)) return missing('conversation');
  const read = readChange(ctx, input);
  if ('errors' in read) return unprocessable(read.errors);
  applyChange(ctx, conversation, read.change);
  return { status: 200, body: conversationJson(conversation, ctx.wire) };
}

function readChange(ctx: WriteContext, input: Record<string, unknown>): { change: ConversationChange } | { errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const change: ConversationChange = {};
  if (input.status !== undefined && input.status !== null) {
    const status = castInteger(input.status);
    if (status === undefined || !STATUS_CODES.includes(status as StatusCode)) errors.status = ['is not included in the list'];
    else change.status = status as StatusCode;
  }
  // Doc: "If status is set to 5 (On Hold), a hold_until datetime attribute must also be passed in."
  if (change.status === STATUS.onHold) {
    const text = typeof input.hold_until === 'string' ? input.hold_until.trim() : '';
    const at = text === '' ? Number.NaN : Date.parse(text);
    if (text === '') errors.hold_until = ["can't be blank"];
    else if (Number.isNaN(at)) errors.hold_until = ['is invalid'];
    else change.holdUntil = at;
  }
  if (input.assignee !== undefined && input.assignee !== null) {
    const email = isPlainObject(input.assignee) && typeof input.assignee.email === 'string' ? input.assignee.email.trim().toLowerCase() : '';
    const staff = ctx.store.staff.find((s) => s.email === email);
    if (staff) change.assignee = staff;
    else errors.assignee = ['is invalid'];
  }
  if (input.tag_list !== undefined && input.tag_list !== null) {
    const tags = parseTagList(input.tag_list);
    if (tags) change.tags = tags;
    else errors.tag_list = ['is invalid'];
  }
  if (input.data !== undefined && input.data !== null) {
    if (isPlainObject(input.data)) change.data = Object.fromEntries(Object.entries(input.data).map(([k, v]) => [k, String(v)]));
    else errors.data = ['is invalid'];
  }
  if (input.category !== undefined && input.category !== null) {
    // Doc: "The designated channel must be an email channel."
    const channel = ctx.store.channels.find((c) => c.slug === input.category && c.channel === 1);
    if (channel) change.category = channel;
    else errors.category = ['is invalid'];
  }
  return Object.keys(errors).length ? { errors } : { change };
}

/**
 * Applies a checked change at `now()`. A status change moves `updated_at` (doc: `sort=changed`
 * orders by "any update or status change"); so do assignee, tag, data and channel changes
 * (inferred: each saves the conversation). Saving the same values moves nothing.
 */
function applyChange(ctx: WriteContext, conversation: ConversationRecord, change: ConversationChange): void {
  const at = ctx.now();
  if (change.status !== undefined) applyStatus(conversation, change.status, change.holdUntil, at);
  let changed = false;
  if (change.assignee && conversation.assignee !== change.assignee) {
    conversation.assignee = change.assignee;
    changed = true;
  }
  if (change.tags) {
    const next = ctx.readings.tagListUpdate === 'merge' ? mergeTags(conversation.tags, change.tags) : change.tags;
    if (next.join('\n') !== conversation.tags.join('\n')) {
      conversation.tags = next;
      changed = true;
    }
  }
  if (change.data && Object.entries(change.data).some(([k, v]) => conversation.data[k] !== v)) {
    conversation.data = { ...conversation.data, ...change.data };
    changed = true;
  }
  if (change.category && conversation.category !== change.category) {
    conversation.category = change.category;
    changed = true;
  }
  if (changed) conversation.updatedAt = at;
}

function mergeTags(current: readonly string[], added: readonly string[]): string[] {
  const own = new Set(current.map((t) => t.toLowerCase()));
  return [...current, ...added.filter((t) => !own.has(t.toLowerCase()))];
}

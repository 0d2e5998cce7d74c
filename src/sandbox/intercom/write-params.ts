import { invalid, missing } from './errors.js';

/**
 * The write endpoints' JSON bodies read into typed inputs (docs/providers/intercom.md
 * section 10). Shape only: a missing parameter is `parameter_not_found`, a malformed one
 * `parameter_invalid`; whether an admin, tag or conversation exists is the store's check.
 */

export interface AdminReply {
  adminId: string;
  messageType: 'comment' | 'note';
  body: string;
  attachmentUrls: string[];
}

export type ManageAction =
  | { action: 'close'; adminId: string; body?: string }
  | { action: 'open'; adminId: string }
  | { action: 'snoozed'; adminId: string; snoozedUntil: number }
  | { action: 'assignment'; adminId: string; assigneeType: 'admin' | 'team'; assigneeId: string; body?: string };

export interface ConversationUpdate {
  read?: boolean;
}

export interface TagWrite {
  name: string;
  /** Present: rename this tag instead of finding or creating one by name. */
  id?: string;
}

/** The client's `attachment_urls` limit (`maxItems: 10`). */
export const MAX_ATTACHMENT_URLS = 10;

export function readReply(body: unknown): AdminReply {
  const params = objectOf(body);
  const messageType = required(params, 'message_type');
  if (messageType !== 'comment' && messageType !== 'note') throw invalid('message_type must be comment or note');
  const type = required(params, 'type');
  if (type !== 'admin') throw invalid('type must be admin');
  const adminId = idOf(params, 'admin_id');
  const text = required(params, 'body');
  if (typeof text !== 'string') throw invalid('body must be a string');
  // Inferred: a blank reply has nothing to show, so it is refused rather than stored empty.
  if (text.trim() === '') throw invalid('body must not be blank');
  return { adminId, messageType, body: text, attachmentUrls: attachmentUrls(params.attachment_urls) };
}

export function readManage(body: unknown): ManageAction {
  const params = objectOf(body);
  const messageType = required(params, 'message_type');
  const adminId = idOf(params, 'admin_id');
  switch (messageType) {
    case 'close':
      return { action: 'close', adminId, ...optionalBody(params) };
    case 'open':
      return { action: 'open', adminId };
    case 'snoozed':
      return { action: 'snoozed', adminId, snoozedUntil: unixSeconds(required(params, 'snoozed_until')) };
    case 'assignment': {
      const assigneeType = required(params, 'type');
      if (assigneeType !== 'admin' && assigneeType !== 'team') throw invalid('type must be admin or team');
      return { action: 'assignment', adminId, assigneeType, assigneeId: idOf(params, 'assignee_id'), ...optionalBody(params) };
    }
    default:
      throw invalid('message_type must be close, open, snoozed or assignment');
  }
}

export function readTagAttach(body: unknown): { tagId: string; adminId: string } {
  const params = objectOf(body);
  return { tagId: idOf(params, 'id'), adminId: idOf(params, 'admin_id') };
}

export function readAdminId(body: unknown): string {
  return idOf(objectOf(body), 'admin_id');
}

export function readUpdate(body: unknown): ConversationUpdate {
  const params = objectOf(body);
  if (params.read === undefined) return {};
  if (typeof params.read !== 'boolean') throw invalid('read must be true or false');
  return { read: params.read };
}

/** `POST /tags`: its one error example answers `parameter_invalid` "invalid tag parameters". */
export function readTagWrite(body: unknown): TagWrite {
  const params = objectOf(body);
  if (typeof params.name !== 'string' || params.name.trim() === '') throw invalid('invalid tag parameters');
  return { name: params.name.trim(), ...(params.id === undefined ? {} : { id: idOf(params, 'id') }) };
}

/** No body reads as an empty object, so each missing parameter is named. */
function objectOf(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body) || body instanceof URLSearchParams) throw invalid('the body must be a JSON object');
  return body as Record<string, unknown>;
}

function required(params: Record<string, unknown>, name: string): unknown {
  const value = params[name];
  if (value === undefined || value === null) throw missing(name);
  return value;
}

/** Ids are strings in the schemas, but the examples send integers: both are taken. */
function idOf(params: Record<string, unknown>, name: string): string {
  const value = required(params, name);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  throw invalid(`${name} must be an id`);
}

function unixSeconds(value: unknown): number {
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 0) throw invalid('snoozed_until must be a unix timestamp');
  return seconds;
}

function optionalBody(params: Record<string, unknown>): { body?: string } {
  if (params.body === undefined || params.body === null) return {};
  if (typeof params.body !== 'string') throw invalid('body must be a string');
  return params.body.trim() === '' ? {} : { body: params.body };
}

function attachmentUrls(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid('attachment_urls must be an array of URLs');
  if (value.length > MAX_ATTACHMENT_URLS) throw invalid(`attachment_urls takes at most ${MAX_ATTACHMENT_URLS} URLs`);
  return value.map((url) => {
    if (typeof url !== 'string' || !isHttpsUrl(url)) throw invalid('attachment_urls must be https URLs');
    return url;
  });
}

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

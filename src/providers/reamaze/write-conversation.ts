import { ErrorCode } from '../../errors/codes.js';
import { SourceError } from '../../http/errors.js';
import { pathSegment } from '../../http/path-segment.js';
import type { CallScope } from '../../http/upstream-client.js';
import { WriteRefused, type StatusTarget, type TagChange, type WriteResult } from '../write-contract.js';
import type { ReamazeDirectory } from './directory.js';
import { mapConversation, mapStatus } from './mapper.js';
import type { ReamazeCalls } from './request.js';
import { conversationSchema, type ReamazeConversation } from './schemas.js';
import type { ReamazeWriteCalls } from './write-calls.js';

/**
 * Status, assignee and tags: each read first (`GET /conversations/{slug}`), then, when the
 * change is not already in effect, one `PUT /conversations/{slug}` (put_conversations),
 * whose answer is the updated conversation. An unknown slug rejects with `UpstreamNotFound`.
 */
export interface ConversationWriteDeps {
  sourceId: string;
  calls: ReamazeCalls;
  writes: ReamazeWriteCalls;
  directory: ReamazeDirectory;
}

/** Status codes (providers.md 3.3): 0 Open, 2 Done, 5 On Hold (with `hold_until`). */
const OPEN = 0;
const DONE = 2;
const ON_HOLD = 5;

export async function setStatus(deps: ConversationWriteDeps, slug: string, target: StatusTarget, actor: unknown, scope: CallScope): Promise<WriteResult> {
  const wanted = statusChange(target);
  const current = await readConversation(deps, slug, scope);
  if (hasStatus(current, target)) return unchanged(deps, current);
  return put(deps, slug, wanted, actor, scope);
}

export async function assign(deps: ConversationWriteDeps, slug: string, adminId: string | null, actor: unknown, scope: CallScope): Promise<WriteResult> {
  if (adminId === null) throw new WriteRefused('REJECTED', 'Re:amaze documents no way to unassign a conversation', 'assigneeId');
  // Staff are keyed by email; the directory is the cached staff list (one list read at most).
  const [[admin], current] = await Promise.all([deps.directory.admins([adminId], scope), readConversation(deps, slug, scope)]);
  if (!admin) throw new WriteRefused('UNKNOWN_ADMIN', 'no Re:amaze staff member has this id', 'assigneeId');
  if (current.assignee?.email?.toLowerCase() === admin.nativeId) return unchanged(deps, current);
  return put(deps, slug, { assignee: { email: admin.email ?? admin.nativeId } }, actor, scope);
}

/**
 * `tag_list` sets the whole tag set (inferred; the caller holds the conversation's lock
 * from the read to the write). Tags compare ignoring case, as Re:amaze's tag filter does.
 * A tag with a comma would be split in two by the tag list parser, so it is refused.
 */
export async function updateTags(deps: ConversationWriteDeps, slug: string, change: TagChange, actor: unknown, scope: CallScope): Promise<WriteResult> {
  const add = change.add.map((tag) => tag.trim());
  if (add.some((tag) => tag === '' || tag.includes(','))) throw new WriteRefused('INVALID_TAG', 'a Re:amaze tag is not blank and has no comma', 'add');
  const current = await readConversation(deps, slug, scope);
  const tags = current.tag_list ?? [];
  const next = nextTags(tags, add, change.remove);
  if (sameTags(next, tags)) return unchanged(deps, current);
  const result = await put(deps, slug, { tag_list: next }, actor, scope);
  // A provider that merged instead of replacing would keep a removed tag: never report that as done.
  if (!sameTags(result.detail?.conversation.tags ?? [], next)) {
    throw new SourceError(ErrorCode.UPSTREAM_BAD_RESPONSE, 'Re:amaze did not set the tags as asked', { sourceId: deps.sourceId, maybeApplied: true, retryable: false });
  }
  return result;
}

function nextTags(tags: readonly string[], add: readonly string[], remove: readonly string[]): string[] {
  const removed = new Set(remove.map((tag) => tag.trim().toLowerCase()));
  const next = tags.filter((tag) => !removed.has(tag.toLowerCase()));
  for (const tag of add) if (!next.some((own) => own.toLowerCase() === tag.toLowerCase())) next.push(tag);
  return next;
}

/** The same tags as sets, ignoring case. */
function sameTags(a: readonly string[], b: readonly string[]): boolean {
  const norm = (tags: readonly string[]) => [...new Set(tags.map((tag) => tag.toLowerCase()))].sort();
  const [x, y] = [norm(a), norm(b)];
  return x.length === y.length && x.every((tag, i) => tag === y[i]);
}

function statusChange(target: StatusTarget): Record<string, unknown> {
  switch (target.status) {
    case 'OPEN':
      return { status: OPEN };
    case 'CLOSED':
      return { status: DONE };
    case 'SNOOZED':
      // put_conversations: status 5 needs `hold_until`; Re:amaze has no "until the customer writes".
      if (target.until === null) throw new WriteRefused('INVALID_STATUS', 'Re:amaze puts a conversation on hold until a time only', 'until');
      return { status: ON_HOLD, hold_until: target.until.toISOString() };
    case 'PENDING':
      throw new WriteRefused('INVALID_STATUS', 'Re:amaze has no pending status to set', 'status');
  }
}

/** Open means Open (0); closed means any closed code; on hold means 5 until that very time. */
function hasStatus(current: ReamazeConversation, target: StatusTarget): boolean {
  const code = Number(current.status);
  if (target.status === 'OPEN') return code === OPEN;
  if (target.status === 'CLOSED') return mapStatus(current.status).status === 'CLOSED';
  if (target.status === 'SNOOZED' && target.until !== null) return code === ON_HOLD && Date.parse(current.hold_until ?? '') === target.until.getTime();
  return false;
}

function readConversation(deps: ConversationWriteDeps, slug: string, scope: CallScope): Promise<ReamazeConversation> {
  return deps.calls.get({ endpoint: 'conversations.get', path: `/api/v1/conversations/${pathSegment(slug)}` }, conversationSchema, scope);
}

function unchanged(deps: ConversationWriteDeps, current: ReamazeConversation): WriteResult {
  return { changed: false, detail: mapConversation(deps.sourceId, current) };
}

async function put(deps: ConversationWriteDeps, slug: string, conversation: Record<string, unknown>, actor: unknown, scope: CallScope): Promise<WriteResult> {
  const answer = await deps.writes.send(
    { endpoint: 'conversations.update', path: `/api/v1/conversations/${pathSegment(slug)}`, method: 'PUT', json: { conversation } },
    actor,
    conversationSchema,
    scope,
  );
  if (!answer.ok) throw refusal(answer.fields);
  return { changed: true, detail: mapConversation(deps.sourceId, answer.body) };
}

/** A 422 on a conversation update, by the fields it names; Re:amaze's own wording is never passed on. */
function refusal(fields: readonly string[]): WriteRefused {
  if (fields.includes('hold_until')) return new WriteRefused('INVALID_STATUS', 'Re:amaze refused the hold time (HTTP 422)', 'until');
  if (fields.includes('status')) return new WriteRefused('INVALID_STATUS', 'Re:amaze refused the status (HTTP 422)', 'status');
  if (fields.includes('assignee')) return new WriteRefused('UNKNOWN_ADMIN', 'Re:amaze does not know this staff member (HTTP 422)', 'assigneeId');
  if (fields.some((field) => field === 'tag_list' || field === 'tags')) return new WriteRefused('INVALID_TAG', 'Re:amaze refused the tags (HTTP 422)', 'add');
  return new WriteRefused('REJECTED', 'Re:amaze refused the change (HTTP 422)');
}

import type { CallScope } from '../../http/upstream-client.js';
import { WriteRefused, type StatusTarget, type WriteResult } from '../write-contract.js';
import { mapItem } from './conversations.js';
import { BOT_ID_PREFIX } from './mapper.js';
import { DECIMAL } from './request.js';
import { assignmentAnswerSchema, conversationSchema, toggleStatusAnswerSchema } from './schemas.js';
import type { WriterDeps } from './writer-deps.js';

/**
 * Status, assignee and read marks. Chatwoot's answers never say whether the state was
 * already so, so these report `changed: true` whenever the write was accepted.
 */

const NATIVE_STATUS = { OPEN: 'open', PENDING: 'pending', CLOSED: 'resolved', SNOOZED: 'snoozed' } as const;

/**
 * `toggle_status` ALWAYS with an explicit `status`: without one Chatwoot toggles, so a
 * repeated request would undo itself. A snooze names its end in unix seconds (rounded up,
 * never waking early); without an end Chatwoot keeps the end already set, if any. An
 * agent (not an administrator) who opens a conversation is assigned to it by Chatwoot:
 * Parley does not undo that, and the `detail` read after shows the resulting assignee.
 */
export async function setStatus(deps: WriterDeps, conversationId: string, target: StatusTarget, actor: unknown, scope: CallScope): Promise<WriteResult> {
  const who = deps.writes.actorOf(actor);
  const until = target.status === 'SNOOZED' && target.until !== null ? { snoozed_until: Math.ceil(target.until.getTime() / 1000) } : {};
  const response = await deps.writes.send(conversationId, { endpoint: 'conversations.toggle_status', action: 'toggle_status', json: { status: NATIVE_STATUS[target.status], ...until } }, who, scope);
  deps.writes.read('conversations.toggle_status', response, toggleStatusAnswerSchema);
  return { changed: true, detail: await deps.detailAfter(conversationId, scope) };
}

/**
 * `assignments` with `assignee_id` (null unassigns). Chatwoot UNASSIGNS when the id names
 * no user, so the agent is looked up in the account's agents first and an unknown one is
 * refused before anything is sent. Agent bots (`bot:<id>`) go with `assignee_type:
 * "AgentBot"`; Chatwoot answers `null` and changes nothing for an unknown bot.
 */
export async function assign(deps: WriterDeps, conversationId: string, adminId: string | null, actor: unknown, scope: CallScope): Promise<WriteResult> {
  const who = deps.writes.actorOf(actor);
  deps.writes.conversationPath(conversationId);
  const json = await assignmentBody(deps, adminId, scope);
  const response = await deps.writes.send(conversationId, { endpoint: 'conversations.assign', action: 'assignments', json }, who, scope);
  const assigned = deps.writes.read('conversations.assign', response, assignmentAnswerSchema);
  if (adminId !== null && assigned === null) {
    throw new WriteRefused('UNKNOWN_ADMIN', 'Chatwoot does not know this agent (a removed agent leaves the conversation unassigned)', 'assigneeId');
  }
  return { changed: true, detail: await deps.detailAfter(conversationId, scope) };
}

async function assignmentBody(deps: WriterDeps, adminId: string | null, scope: CallScope): Promise<Record<string, unknown>> {
  const unknown = () => new WriteRefused('UNKNOWN_ADMIN', 'no agent of this Chatwoot account has this id', 'assigneeId');
  if (adminId === null) return { assignee_id: null };
  if (adminId.startsWith(BOT_ID_PREFIX)) {
    const botId = adminId.slice(BOT_ID_PREFIX.length);
    if (!DECIMAL.test(botId)) throw unknown();
    return { assignee_id: Number(botId), assignee_type: 'AgentBot' };
  }
  if (!DECIMAL.test(adminId)) throw unknown();
  const [agent] = await deps.reads.directory.admins([adminId], scope);
  if (!agent) throw unknown();
  return { assignee_id: Number(adminId) };
}

/**
 * `update_last_seen`: marks the conversation read for the acting agent (and for the
 * assignee's own mark when that agent is the assignee). Chatwoot skips the write within
 * an hour when nothing is unread and answers the same; its answer is the conversation,
 * so no read follows.
 */
export async function markRead(deps: WriterDeps, conversationId: string, actor: unknown, scope: CallScope): Promise<WriteResult> {
  const who = deps.writes.actorOf(actor);
  const response = await deps.writes.send(conversationId, { endpoint: 'conversations.update_last_seen', action: 'update_last_seen' }, who, scope);
  const item = deps.writes.read('conversations.update_last_seen', response, conversationSchema);
  return { changed: true, detail: mapItem(deps.reads, item) };
}

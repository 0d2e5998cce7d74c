import type { CallScope } from '../../http/upstream-client.js';
import { DECIMAL_ID } from '../native-ids.js';
import { WriteRefused, type StatusTarget, type WriteResult } from '../write-contract.js';
import { threadOf, type Thread } from './conversations.js';
import { conversationDetailSchema, type IntercomConversation } from './schemas.js';
import { refused, type WriteAnswer } from './write-calls.js';
import { currentThread, type WriterDeps } from './writer-deps.js';

/**
 * State, assignee and read marks. Intercom may answer a repeated state change with another
 * part or with no change at all, and its answer looks the same whether the state was already
 * so; so each write first reads the conversation (one call): already in effect, nothing is
 * sent (no second close part) and `changed` is false; else one write, whose answer is the
 * conversation (`detail`, no read after).
 */

const MESSAGE_TYPE = { OPEN: 'open', CLOSED: 'close', SNOOZED: 'snoozed' } as const;

export async function setStatus(deps: WriterDeps, conversationId: string, target: StatusTarget, actor: unknown, scope: CallScope): Promise<WriteResult> {
  if (target.status === 'PENDING') throw new WriteRefused('INVALID_STATUS', 'Intercom has no pending state (open, snoozed or closed)', 'status');
  const snoozedUntil = target.status === 'SNOOZED' ? snoozeEnd(deps, target.until) : null;
  const who = await deps.writes.actor(actor, scope);
  const before = await currentThread(deps, conversationId, scope);
  const row = raw(before);
  const native = { OPEN: 'open', CLOSED: 'closed', SNOOZED: 'snoozed' }[target.status];
  if (row.state === native && (snoozedUntil === null || row.snoozed_until === snoozedUntil)) return { changed: false, detail: before.detail };
  const json = {
    message_type: MESSAGE_TYPE[target.status],
    // Intercom's close request names the actor's kind; open and snooze do not.
    ...(target.status === 'CLOSED' ? { type: 'admin' } : {}),
    admin_id: who.adminId,
    ...(snoozedUntil === null ? {} : { snoozed_until: snoozedUntil }),
  };
  const answer = await sendPart(deps, conversationId, `conversations.${MESSAGE_TYPE[target.status]}`, json, scope);
  if (!answer.ok) {
    throw target.status === 'SNOOZED' ? refused('snooze end', answer, 'until', 'INVALID_STATUS') : refused('state change', answer, 'status', 'INVALID_STATUS');
  }
  return { changed: true, detail: answered(deps, conversationId, `conversations.${MESSAGE_TYPE[target.status]}`, answer) };
}

/** Intercom snoozes until a time only, in the future, in unix seconds (rounded up: never waking early). */
function snoozeEnd(deps: WriterDeps, until: Date | null): number {
  if (until === null) throw new WriteRefused('INVALID_STATUS', 'Intercom snoozes until a time: give `until`', 'until');
  if (until.getTime() <= deps.now()) throw new WriteRefused('INVALID_STATUS', 'Intercom snoozes until a time in the future', 'until');
  return Math.ceil(until.getTime() / 1000);
}

/**
 * An `assignment` part with `assignee_id` (`'0'` unassigns). The admin is looked up in the
 * workspace's teammates (cached) first and an unknown one refused with nothing sent. Should
 * a stale list let one through, Intercom's refusal (a 404 or a 400, the conversation having
 * just been read) is the same refusal.
 */
export async function assign(deps: WriterDeps, conversationId: string, adminId: string | null, actor: unknown, scope: CallScope): Promise<WriteResult> {
  const who = await deps.writes.actor(actor, scope);
  deps.writes.conversationPath(conversationId);
  if (adminId !== null && !(DECIMAL_ID.test(adminId) && (await deps.reads.directory.admins.get(scope)).has(adminId))) {
    throw new WriteRefused('UNKNOWN_ADMIN', 'no teammate of this Intercom workspace has this id', 'assigneeId');
  }
  const before = await currentThread(deps, conversationId, scope);
  if (before.detail.conversation.assigneeId === adminId) return { changed: false, detail: before.detail };
  const json = { message_type: 'assignment', type: 'admin', admin_id: who.adminId, assignee_id: adminId ?? '0' };
  const answer = await sendPart(deps, conversationId, 'conversations.assign', json, scope, [400, 404]);
  if (!answer.ok) {
    if (answer.status === 404 || answer.code === 'parameter_invalid') throw new WriteRefused('UNKNOWN_ADMIN', 'Intercom does not know this teammate', 'assigneeId');
    throw refused('assignment', answer, 'assigneeId');
  }
  return { changed: true, detail: answered(deps, conversationId, 'conversations.assign', answer) };
}

/** `PUT /conversations/{id}` with `read: true`; a conversation already read is left alone. */
export async function markRead(deps: WriterDeps, conversationId: string, actor: unknown, scope: CallScope): Promise<WriteResult> {
  await deps.writes.actor(actor, scope);
  const path = deps.writes.conversationPath(conversationId);
  const before = await currentThread(deps, conversationId, scope);
  if (raw(before).read === true) return { changed: false, detail: before.detail };
  const answer = await deps.writes.send({ endpoint: 'conversations.update', method: 'PUT', path, body: { json: { read: true } }, answerStatuses: [400] }, scope);
  if (!answer.ok) throw refused('read mark', answer, 'conversationId');
  return { changed: true, detail: answered(deps, conversationId, 'conversations.update', answer) };
}

function sendPart(deps: WriterDeps, conversationId: string, endpoint: string, json: Record<string, unknown>, scope: CallScope, answerStatuses: readonly number[] = [400]): Promise<WriteAnswer> {
  const path = `${deps.writes.conversationPath(conversationId)}/parts`;
  return deps.writes.send({ endpoint, method: 'POST', path, body: { json }, answerStatuses }, scope);
}

function answered(deps: WriterDeps, conversationId: string, endpoint: string, answer: Extract<WriteAnswer, { ok: true }>) {
  return threadOf(deps.writes.read(endpoint, answer.response, conversationDetailSchema), conversationId, deps.sourceId).detail;
}

function raw(thread: Thread): IntercomConversation {
  return thread.detail.conversation.raw as IntercomConversation;
}

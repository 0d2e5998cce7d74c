import { SourceError } from '../../http/errors.js';
import type { CallScope } from '../../http/upstream-types.js';
import type { ConversationPart } from '../../domain/model.js';
import type { ConversationDetail } from '../adapter.js';
import { WriteRefused, type SourceWriter, type StatusTarget, type TagChange, type WriteAction, type WriteResult } from '../write-contract.js';
import type { CarrotGet } from './request.js';
import { actAsSchema, type CarrotActor } from './schemas.js';
import { findCarrotReply, sendReply } from './write-reply.js';
import type { WriteOutcome, WriterDeps } from './write-send.js';

/**
 * Carrot quest's writes (providers-live-and-write.md B.1, B.3): each names the acting
 * admin (`from_admin`), writes one part, and is one upstream call. Status: only CLOSED
 * (reopen and snooze are not documented). Tags: one call per tag; "already there" and
 * "not there" 400s mean the change was already in effect. Mark-read is not offered: its
 * parameters are not documented.
 */

/** The longest tag Carrot quest takes (tag/post: "String from 1 to 255 characters"). */
const MAX_TAG_CHARS = 255;

export function createCarrotWriter(deps: WriterDeps): SourceWriter {
  const result = async (conversationId: string, outcome: WriteOutcome, scope: CallScope): Promise<WriteResult> => ({
    changed: outcome.kind === 'created',
    detail: await deps.readDetail(conversationId, scope),
  });
  return {
    actions: new Set(deps.actions),
    reply: (request, actor, scope) => sendReply(deps, request, actorOf(actor), scope),
    findReply: (request, actor, scope) => findCarrotReply(deps, request, actorOf(actor), scope),

    async setStatus(conversationId: string, target: StatusTarget, actor: unknown, scope: CallScope) {
      if (target.status !== 'CLOSED') throw new WriteRefused('INVALID_STATUS', `Carrot quest has no documented way to set ${target.status}`, 'status');
      const outcome = await deps.write(
        { endpoint: 'conversations.close', method: 'POST', conversationId, action: 'close', form: { from_admin: actorOf(actor).adminId } },
        scope,
      );
      if (outcome.kind === 'refused') throw new WriteRefused('REJECTED', 'Carrot quest refused to close the conversation', 'status');
      return result(conversationId, outcome, scope);
    },

    async assign(conversationId: string, adminId: string | null, actor: unknown, scope: CallScope) {
      if (adminId !== null && !/^[0-9]{1,20}$/.test(adminId)) throw new WriteRefused('UNKNOWN_ADMIN', 'not a Carrot quest admin id', 'assigneeId');
      // An empty `admin` unassigns (assign doc).
      const form = { admin: adminId ?? '', from_admin: actorOf(actor).adminId };
      const outcome = await deps.write({ endpoint: 'conversations.assign', method: 'POST', conversationId, action: 'assign', form }, scope);
      // The method's only input a 400 can be about is the admin (inferred; the doc names no error).
      if (outcome.kind === 'refused') throw new WriteRefused('UNKNOWN_ADMIN', 'Carrot quest does not know this admin', 'assigneeId');
      return result(conversationId, outcome, scope);
    },

    updateTags: (conversationId, change, actor, scope) => updateTags(deps, conversationId, change, actorOf(actor), scope),

    async markRead() {
      throw new WriteRefused('REJECTED', 'Carrot quest documents no mark-read method Parley can call');
    },
  };
}

/** Adds, then removes, one call per tag; an error after some calls went through says the change may be partly made. */
async function updateTags(deps: WriterDeps, conversationId: string, change: TagChange, actor: CarrotActor, scope: CallScope): Promise<WriteResult> {
  const add = checkTags(change.add, 'add');
  const remove = checkTags(change.remove, 'remove');
  if (remove.some((tag) => add.includes(tag))) throw new WriteRefused('INVALID_TAG', 'a tag cannot be added and removed at once', 'remove');
  const calls = [...add.map((tag) => ({ tag, method: 'POST' as const })), ...remove.map((tag) => ({ tag, method: 'DELETE' as const }))];
  let changed = false;
  let sent = 0;
  for (const { tag, method } of calls) {
    let outcome: WriteOutcome;
    try {
      outcome = await deps.write({ endpoint: method === 'POST' ? 'conversations.tag.add' : 'conversations.tag.remove', method, conversationId, action: 'tag', form: { tag, from_admin: actor.adminId } }, scope);
    } catch (error) {
      throw sent > 0 ? partlyApplied(error) : error;
    }
    sent += 1;
    if (outcome.kind === 'created') changed = true;
    // "Already there" / "not there": the change was in effect before (B.3).
    else if (outcome.kind === 'refused' && outcome.error !== 'ConversationTagAlreadyAssigned' && outcome.error !== 'ConversationTagIsNotAssigned') {
      throw new WriteRefused('INVALID_TAG', 'Carrot quest refused the tag', method === 'POST' ? 'add' : 'remove');
    }
  }
  return { changed, detail: await deps.readDetail(conversationId, scope) };
}

function checkTags(tags: readonly string[], field: 'add' | 'remove'): string[] {
  for (const tag of tags) {
    const length = [...tag].length;
    if (length < 1 || length > MAX_TAG_CHARS) throw new WriteRefused('INVALID_TAG', `a Carrot quest tag has 1 to ${MAX_TAG_CHARS} characters`, field);
  }
  return [...new Set(tags)];
}

function partlyApplied(error: unknown): unknown {
  if (!(error instanceof SourceError)) return error;
  return new SourceError(error.code, error.message, { ...error.details, maybeApplied: true });
}

/** The core passes the identity it validated against `actAsSchema`; anything else is a bug. */
function actorOf(actor: unknown): CarrotActor {
  const parsed = actAsSchema.safeParse(actor);
  if (!parsed.success) throw new TypeError('a Carrot quest write needs an actor { adminId } (apiKeys[].actAs)');
  return parsed.data;
}

import { GraphQLError } from 'graphql';
import { ErrorCode, USER_ERROR_CODES } from '../errors/codes.js';
import { sourceFailure } from '../errors/graphql-errors.js';
import type { ConversationPart } from '../domain/model.js';
import { nodeKey } from '../domain/node-key.js';
import { readableSource, type RequestContext } from '../gateway/context.js';
import { UpstreamNotFound } from '../http/errors.js';
import { primeIncluded } from '../loaders/prime.js';
import type { WriteAction } from '../providers/write-actions.js';
import { WriteRefused } from '../providers/write-contract.js';
import { forbidden, isUserError, notFound, resolveTarget, type WriteTarget } from './access.js';
import { ConversationBusy } from './conversation-lock.js';
import { WritesUnavailable, type Outcome } from './coordinator.js';
import type { UserError } from './input-limits.js';
import type { LiveWrite, MutationPlan, RecordedWrite } from './plans.js';

/**
 * One mutation from permission to payload: the caller may write, the input keeps its
 * limits, the target is readable and able, then the coordinator sends once; the payload's
 * conversation comes from the write's own answer where it carried one.
 */

export type OutcomeName = 'APPLIED' | 'ALREADY_APPLIED' | 'UNCERTAIN';

export interface WritePayload {
  /** The conversation object, or its node key for the loader to read. */
  readonly conversation: object | string | null;
  readonly part: ConversationPart | string | null;
  readonly outcome: OutcomeName | null;
  readonly userErrors: readonly UserError[];
  /** The result of the write itself, for follow-ups (a reply's close). */
  readonly target?: WriteTarget;
  readonly live?: LiveWrite | null;
}

export interface WriteSpec {
  /** The node key of the conversation (from its global id). */
  readonly conversationKey: string;
  /** Every action the write needs of the source. */
  readonly actions: readonly WriteAction[];
  /** What the event names the write as. */
  readonly event: WriteAction;
  /** Input limit breaks found already: nothing is looked up or sent. */
  readonly inputErrors: readonly UserError[];
  build(target: WriteTarget): MutationPlan | UserError;
  /** Drops a stale copy of the conversation from the request's loader. */
  forget(key: string): void;
}

export const emptyPayload = (userErrors: readonly UserError[]): WritePayload => ({ conversation: null, part: null, outcome: null, userErrors });

export async function runWrite(context: RequestContext, spec: WriteSpec): Promise<WritePayload> {
  if (!context.writeAccess.allowed) throw forbidden();
  if (spec.inputErrors.length > 0) return emptyPayload(spec.inputErrors);
  const target = resolveTarget(context.writeAccess, (id) => readableSource(context, id), spec.conversationKey, spec.actions);
  if (isUserError(target)) return emptyPayload([target]);
  const plan = spec.build(target);
  if (isUserError(plan)) return emptyPayload([plan]);
  let outcome: Outcome<RecordedWrite, LiveWrite>;
  try {
    outcome = await context.gateway.writes.coordinator.run(plan, context.scope.signal);
  } catch (error) {
    return emptyPayload([userErrorOf(error, target)]);
  }
  return payloadOf(context, spec, target, outcome);
}

function payloadOf(context: RequestContext, spec: WriteSpec, target: WriteTarget, outcome: Outcome<RecordedWrite, LiveWrite>): WritePayload {
  const { sourceId } = target.source;
  const key = nodeKey(sourceId, target.conversationId);
  if (outcome.kind === 'IDEMPOTENCY_KEY_REUSED') {
    return emptyPayload([{ code: outcome.kind, message: 'this `idempotencyKey` was used for a different input: use a new key for a new write', field: ['idempotencyKey'] }]);
  }
  if (outcome.kind === 'IN_PROGRESS') {
    return emptyPayload([{ code: outcome.kind, message: 'a call with this `idempotencyKey` is still running: call again shortly with the same key', field: ['idempotencyKey'] }]);
  }
  spec.forget(key);
  if (outcome.kind === 'UNCERTAIN') {
    const message = 'the source may or may not have applied this write: call again with the same `idempotencyKey`, which reads back first and never sends it twice';
    return { conversation: key, part: null, outcome: 'UNCERTAIN', userErrors: [{ code: USER_ERROR_CODES.OUTCOME_UNKNOWN, message, field: null }], target, live: null };
  }
  const { live, record } = outcome;
  if (live?.detail) {
    context.known.conversations.set(key, live.detail.conversation);
    primeIncluded(context, sourceId, live.detail.included);
  }
  if (live?.part) context.known.parts.set(nodeKey(sourceId, target.conversationId, live.part.nativeId), live.part);
  if (outcome.kind === 'APPLIED') {
    context.gateway.writes.events.emit({ sourceId, conversationId: target.conversationId, action: spec.event, ...(live?.part ? { part: live.part } : {}), at: Date.now() });
  }
  const part = live?.part ?? (record.partId ? nodeKey(sourceId, target.conversationId, record.partId) : null);
  return { conversation: live?.detail?.conversation ?? key, part, outcome: outcome.kind, userErrors: [], target, live };
}

/** What stopped a write before or instead of its send, as the caller should see it. */
export function userErrorOf(error: unknown, target: WriteTarget): UserError {
  if (error instanceof WriteRefused) return refusal(error);
  if (error instanceof UpstreamNotFound) return notFound('conversationId', 'conversation');
  if (error instanceof ConversationBusy) {
    return { code: USER_ERROR_CODES.CONVERSATION_BUSY, message: 'another write is changing this conversation: call again shortly with the same `idempotencyKey`', field: null };
  }
  if (error instanceof WritesUnavailable) {
    throw new GraphQLError('writes are unavailable: the shared idempotency store does not answer; nothing was sent', {
      extensions: { code: ErrorCode.WRITES_UNAVAILABLE, retryable: true },
    });
  }
  throw sourceFailure(error, target.source.sourceId);
}

function refusal(error: WriteRefused): UserError {
  const field = error.field ? [error.field === 'assigneeId' ? 'adminId' : error.field] : null;
  switch (error.reason) {
    case 'INVALID_TAG':
      return { code: USER_ERROR_CODES.INVALID_INPUT, message: error.message, field: field ?? ['add'] };
    case 'UNKNOWN_ADMIN':
      return { code: USER_ERROR_CODES.NOT_FOUND, message: 'no such admin in this source', field: ['adminId'] };
    case 'INVALID_STATUS':
      return { code: USER_ERROR_CODES.UNSUPPORTED_BY_SOURCE, message: error.message, field: ['status'] };
    default:
      return { code: USER_ERROR_CODES.REJECTED_BY_SOURCE, message: error.message, field };
  }
}

import { GraphQLError } from 'graphql';
import { USER_ERROR_CODES } from '../errors/codes.js';
import { sourceFailure } from '../errors/graphql-errors.js';
import type { RequestContext } from '../gateway/context.js';
import type { ConversationDetail } from '../providers/adapter.js';
import { nodeKey } from '../domain/node-key.js';
import { primeIncluded } from '../loaders/prime.js';
import { mayHaveApplied } from './coordinator.js';
import type { UserError } from './input-limits.js';
import { userErrorOf, type OutcomeName, type WritePayload } from './run-write.js';

export interface ReplyPayload extends WritePayload {
  /** With `close: true`: how closing went (null when not asked, or the reply did not land). */
  readonly closeOutcome: OutcomeName | null;
}

/**
 * A reply with `close: true`: where the reply did not close the conversation itself (per the
 * conversation the reply answered with), closing is a set-style write of its own, made once
 * per call and checked by reading back; its failure never hides the reply's outcome.
 */
export async function closeAfterReply(context: RequestContext, payload: WritePayload): Promise<ReplyPayload> {
  const { target } = payload;
  if (!target || (payload.outcome !== 'APPLIED' && payload.outcome !== 'ALREADY_APPLIED')) return { ...payload, closeOutcome: null };
  const { writer, source, conversationId, actor } = target;
  const key = nodeKey(source.sourceId, conversationId);
  const keep = (detail: ConversationDetail | null) => {
    if (!detail) return;
    context.known.conversations.set(key, detail.conversation);
    primeIncluded(context, source.sourceId, detail.included);
  };
  const readNow = async () => (await source.getConversations([conversationId], context.scope))[0] ?? null;
  const closedBefore = (payload.live?.detail ?? (await readNow().catch(() => null)))?.conversation.status === 'CLOSED';
  if (closedBefore) return { ...payload, closeOutcome: payload.outcome };
  try {
    const result = await writer.setStatus(conversationId, { status: 'CLOSED' }, actor, context.scope);
    keep(result.detail);
    return { ...payload, conversation: result.detail?.conversation ?? key, closeOutcome: result.changed ? 'APPLIED' : 'ALREADY_APPLIED' };
  } catch (error) {
    if (mayHaveApplied(error)) {
      const after = await readNow().catch(() => null);
      if (after?.conversation.status === 'CLOSED') {
        keep(after);
        return { ...payload, conversation: after.conversation, closeOutcome: 'APPLIED' };
      }
      const unknown: UserError = { code: USER_ERROR_CODES.OUTCOME_UNKNOWN, message: 'the reply stands; whether the conversation was closed is unknown: call again with the same `idempotencyKey`', field: ['close'] };
      return { ...payload, closeOutcome: 'UNCERTAIN', userErrors: [...payload.userErrors, unknown] };
    }
    return { ...payload, closeOutcome: null, userErrors: [...payload.userErrors, closeRefusal(context, error, payload)] };
  }
}

function closeRefusal(context: RequestContext, error: unknown, payload: WritePayload): UserError {
  try {
    return { ...userErrorOf(error, payload.target!), field: ['close'] };
  } catch (failure) {
    // The source failed outright: the reply's payload stands, the failure goes in `errors`.
    context.sourceErrors.push(failure instanceof GraphQLError ? failure : sourceFailure(failure, payload.target!.source.sourceId));
    return { code: USER_ERROR_CODES.REJECTED_BY_SOURCE, message: 'the reply stands; the conversation could not be closed (see `errors`)', field: ['close'] };
  }
}

import type { ConversationPart } from '../../domain/model.js';
import { SourceError, UpstreamNotFound } from '../../http/errors.js';
import { pathSegment } from '../../http/path-segment.js';
import type { CallScope } from '../../http/upstream-client.js';
import type { ConversationDetail } from '../adapter.js';
import { WriteRefused, type ReplyRequest, type ReplyResult } from '../write-contract.js';
import { getReamazeConversation, type ConversationReads } from './conversations.js';
import { createMessagePages } from './message-pages.js';
import { CLOCK_SKEW_MS, findMessageByMarker } from './reply-readback.js';
import { messageSchema } from './schemas.js';
import type { ReamazeWriteCalls } from './write-calls.js';

export interface ReplyDeps {
  reads: ConversationReads;
  writes: ReamazeWriteCalls;
  now: () => number;
}

/**
 * A reply or note: one `POST …/messages` carrying the marker as `origin_id`. A staff
 * message resolves the conversation unless `suppress_autoresolve` (post_messages), so it
 * is sent unless the caller closes with this reply. Re:amaze reads `body` as markdown,
 * which plain text is too, so both formats go as written.
 */
export async function postReply(deps: ReplyDeps, request: ReplyRequest, actor: unknown, scope: CallScope): Promise<ReplyResult> {
  // post_messages takes one `attachment` URL per message.
  if (request.attachmentUrls.length > 1) throw new WriteRefused('REJECTED', 'Re:amaze takes one attachment per message', 'attachmentUrls');
  const sentAt = deps.now();
  const answer = await deps.writes.send(
    {
      endpoint: 'messages.create',
      path: `/api/v1/conversations/${pathSegment(request.conversationId)}/messages`,
      method: 'POST',
      json: { message: messageBody(request) },
    },
    actor,
    messageSchema,
    scope,
  );
  if (!answer.ok) {
    // A repeated `origin_id` refused: the reply is already there.
    if (answer.fields.includes('origin_id')) return alreadyPosted(deps, request, scope);
    throw refusal(answer.fields);
  }
  // A provider that answers a repeated `origin_id` with the first message hands back one older than this call.
  const changed = !(Date.parse(answer.body.created_at) < sentAt - CLOCK_SKEW_MS);
  return { changed, ...(await readBack(deps, request, scope)) };
}

/** The reply `request` made, found by its marker among the newest messages. */
export function findReply(reads: ConversationReads, request: ReplyRequest, scope: CallScope): Promise<ConversationPart | null> {
  const pages = createMessagePages(reads.calls, scope);
  return findMessageByMarker(reads.sourceId, pages.fetch, request.conversationId, request.marker, request.firstAttemptAt - CLOCK_SKEW_MS);
}

function messageBody(request: ReplyRequest): Record<string, unknown> {
  return {
    body: request.body,
    visibility: request.internal ? 1 : 0,
    origin_id: request.marker,
    suppress_autoresolve: !request.closes,
    ...(request.attachmentUrls[0] === undefined ? {} : { attachment: request.attachmentUrls[0] }),
  };
}

async function alreadyPosted(deps: ReplyDeps, request: ReplyRequest, scope: CallScope): Promise<ReplyResult> {
  const { detail, part } = await readBack(deps, request, scope);
  if (part === null) throw new WriteRefused('REJECTED', 'Re:amaze refused the reply as a repeat of a message it does not show', 'marker');
  return { changed: false, detail, part };
}

/**
 * The conversation and the new part after a write that went through. A failed read does
 * not fail the write: what could not be read is null.
 */
async function readBack(deps: ReplyDeps, request: ReplyRequest, scope: CallScope): Promise<{ detail: ConversationDetail | null; part: ConversationPart | null }> {
  const [detail, part] = await Promise.all([
    orNullOnFailure(getReamazeConversation(deps.reads, request.conversationId, scope)),
    orNullOnFailure(findReply(deps.reads, request, scope)),
  ]);
  return { detail, part };
}

async function orNullOnFailure<T>(promise: Promise<T | null>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof SourceError || error instanceof UpstreamNotFound) return null;
    throw error;
  }
}

/** A 422 on a message, by the fields it names; Re:amaze's own wording is never passed on. */
function refusal(fields: readonly string[]): WriteRefused {
  if (fields.includes('body')) return new WriteRefused('REJECTED', 'Re:amaze refused the message body (HTTP 422)', 'body');
  if (fields.includes('attachment')) return new WriteRefused('REJECTED', 'Re:amaze refused the attachment URL (HTTP 422)', 'attachmentUrls');
  return new WriteRefused('REJECTED', 'Re:amaze refused the message (HTTP 422)');
}

import type { z } from 'zod';
import type { CallScope } from '../../http/upstream-client.js';
import type { ConversationPart } from '../../domain/model.js';
import { WriteRefused, type ReplyRequest, type ReplyResult } from '../write-contract.js';
import { mapMessage } from './mapper.js';
import { CLOCK_SKEW_MS, MARKER_KEY, matchReply } from './reply-match.js';
import { messageListSchema, messageSchema } from './schemas.js';
import { toMillis } from './wire-values.js';
import type { WriterDeps } from './writer-deps.js';

/** `before` pages (20 messages each) a read-back walks at most, newest first. */
const MAX_READBACK_PAGES = 5;
/** What one messages call without `after` answers. */
const PAGE = 20;

/**
 * A public reply or a note: one `POST …/messages` with `message_type: "outgoing"`,
 * `private` for a note, and the marker in `content_attributes` (Chatwoot keeps no
 * idempotency key: `echo_id` is never stored, `source_id` belongs to channel integrations).
 */
export async function sendReply(deps: WriterDeps, request: ReplyRequest, actor: unknown, scope: CallScope): Promise<ReplyResult> {
  const who = deps.writes.actorOf(actor);
  if (request.attachmentUrls.length > 0) {
    throw new WriteRefused('REJECTED', 'Chatwoot takes attachments as file uploads only, not by URL', 'attachmentUrls');
  }
  const response = await deps.writes.send(
    request.conversationId,
    {
      endpoint: 'messages.create',
      action: 'messages',
      // Chatwoot renders `content` as markdown either way; plain text is sent as written.
      json: { content: request.body, message_type: 'outgoing', private: request.internal, content_attributes: { [MARKER_KEY]: request.marker } },
      answerStatuses: [422],
    },
    who,
    scope,
  );
  // MessageBuilder turns any failure into 422 {"error"}: nothing was stored.
  if (response.status === 422) throw new WriteRefused('REJECTED', 'Chatwoot refused the message (HTTP 422)', 'body');
  const message = deps.writes.read('messages.create', response, messageSchema);
  const part = mapMessage(message, deps.reads.ctx, request.conversationId);
  return { changed: true, part, detail: await deps.detailAfter(request.conversationId, scope) };
}

/**
 * The reply `request` made, read back from the newest messages (then older pages while
 * they are not older than the first attempt): by marker, or by author, body and time
 * where the server dropped the marker.
 */
export async function findReply(deps: WriterDeps, request: ReplyRequest, actor: unknown, scope: CallScope): Promise<ConversationPart | null> {
  const who = deps.writes.actorOf(actor);
  const path = `${deps.writes.conversationPath(request.conversationId)}/messages`;
  const earliest = request.firstAttemptAt - CLOCK_SKEW_MS;
  let before: string | null = null;
  for (let page = 0; page < MAX_READBACK_PAGES; page += 1) {
    const body: z.output<typeof messageListSchema> = await deps.reads.calls.get(
      { endpoint: 'messages.list', path, ...(before === null ? {} : { query: { before } }) },
      messageListSchema,
      scope,
    );
    const found = matchReply(body.payload, request, who.userId);
    if (found) return mapMessage(found, deps.reads.ctx, request.conversationId);
    const oldest = body.payload[0];
    // A short page is the start of the thread; an older first message is before the reply's time.
    if (!oldest || body.payload.length < PAGE || (toMillis(oldest.created_at) ?? 0) < earliest) return null;
    before = String(oldest.id);
  }
  return null;
}

import type { CallScope } from '../../http/upstream-client.js';
import type { ConversationPart } from '../../domain/model.js';
import type { ReplyRequest, ReplyResult } from '../write-contract.js';
import { readThread, threadOf, type Thread } from './conversations.js';
import { findReplyPart, newestReplyPart } from './reply-match.js';
import { conversationDetailSchema } from './schemas.js';
import { refused } from './write-calls.js';
import type { WriterDeps } from './writer-deps.js';

/**
 * A reply or a note: one `POST /conversations/{id}/reply` as the acting teammate. Intercom
 * answers with the whole conversation, so the new part and the `detail` come from the
 * answer, with no read after. Intercom takes attachments by URL; it keeps no client id, so
 * a repeated request would add a second part: this is sent once, and found again by
 * `findReply`.
 */
export async function sendReply(deps: WriterDeps, request: ReplyRequest, actor: unknown, scope: CallScope): Promise<ReplyResult> {
  const who = await deps.writes.actor(actor, scope);
  const path = deps.writes.conversationPath(request.conversationId);
  const answer = await deps.writes.send(
    {
      endpoint: 'conversations.reply',
      method: 'POST',
      path: `${path}/reply`,
      body: {
        json: {
          message_type: request.internal ? 'note' : 'comment',
          type: 'admin',
          admin_id: who.adminId,
          // Intercom's body is HTML; plain text and markdown go as written (it shows them as text).
          body: request.body,
          ...(request.attachmentUrls.length > 0 ? { attachment_urls: [...request.attachmentUrls] } : {}),
        },
      },
      answerStatuses: [400],
    },
    scope,
  );
  if (!answer.ok) throw refused(request.internal ? 'note' : 'reply', answer, 'body');
  let thread = threadOf(deps.writes.read('conversations.reply', answer.response, conversationDetailSchema), request.conversationId, deps.sourceId);
  const part = newestReplyPart(thread.parts, request, who.adminId);
  if (request.closes) thread = await closeAfter(deps, request.conversationId, thread, who.adminId, scope);
  return { changed: true, part, detail: thread.detail };
}

/**
 * `closes`: one close part after the reply, unless the answer shows it closed already. Its
 * failure is left to the caller's own close step, which reads the conversation first and
 * so never closes twice: the reply stands either way and must not look failed.
 */
async function closeAfter(deps: WriterDeps, conversationId: string, replied: Thread, adminId: string, scope: CallScope): Promise<Thread> {
  if (replied.detail.conversation.nativeStatus === 'closed') return replied;
  try {
    const answer = await deps.writes.send(
      {
        endpoint: 'conversations.close',
        method: 'POST',
        path: `${deps.writes.conversationPath(conversationId)}/parts`,
        body: { json: { message_type: 'close', type: 'admin', admin_id: adminId } },
      },
      scope,
    );
    return answer.ok ? threadOf(deps.writes.read('conversations.close', answer.response, conversationDetailSchema), conversationId, deps.sourceId) : replied;
  } catch {
    return replied;
  }
}

/** The reply `request` made, from one read of the conversation (its newest 500 parts); null when it is not there. */
export async function findReply(deps: WriterDeps, request: ReplyRequest, actor: unknown, scope: CallScope): Promise<ConversationPart | null> {
  const who = await deps.writes.actor(actor, scope);
  deps.writes.conversationPath(request.conversationId);
  const thread = await readThread(deps.reads, request.conversationId, scope);
  return thread ? findReplyPart(thread.parts, request, who.adminId) : null;
}

import type { ConversationPart } from '../../domain/model.js';
import { pathSegment } from '../../http/path-segment.js';
import type { CallScope } from '../../http/upstream-types.js';
import { WriteRefused, type ReplyRequest, type ReplyResult } from '../write-contract.js';
import { mapPart, toMillis } from './mapper.js';
import { DECIMAL_ID, MAX_PAGE } from './request.js';
import { carrotId, markedPartsResponseSchema, type CarrotActor, type CarrotMarkedPart } from './schemas.js';
import type { WriterDeps } from './write-send.js';

/**
 * Replies and notes (`POST /conversations/{id}/reply`), and finding one again after an
 * answer was lost. Each reply carries Parley's marker twice: `external_id` (stored on the
 * part, providers-live-and-write.md B.3) and `random_id` (the 32-bit form, echoed to
 * realtime listeners).
 */

/** How far a provider's clock may trail Parley's, plus the second `created` drops. */
const CLOCK_SKEW_MS = 2_000;
/** Newest parts read back at most (pages of 50): a reply is looked for among recent parts only. */
const MAX_READ_BACK_PAGES = 4;

export async function sendReply(deps: WriterDeps, request: ReplyRequest, actor: CarrotActor, scope: CallScope): Promise<ReplyResult> {
  // The reply method takes an uploaded file, not a link.
  if (request.attachmentUrls.length > 0) throw new WriteRefused('REJECTED', 'Carrot quest takes attachments as uploaded files, not by URL', 'attachmentUrls');
  const outcome = await deps.write(
    {
      endpoint: 'conversations.reply',
      method: 'POST',
      conversationId: request.conversationId,
      action: 'reply',
      form: {
        body: request.body,
        from_admin: actor.adminId,
        type: request.internal ? 'note' : 'reply_admin',
        external_id: request.marker,
        random_id: request.markerNumber,
      },
    },
    scope,
  );
  if (outcome.kind === 'refused') {
    if (outcome.error === 'ReplyTooBig') throw new WriteRefused('REJECTED', 'the reply is longer than Carrot quest takes', 'body');
    throw new WriteRefused('REJECTED', 'Carrot quest refused the reply', undefined);
  }
  const detail = await deps.readDetail(request.conversationId, scope);
  if (outcome.kind === 'unchanged') return { changed: false, detail, part: null };
  // The conversation's last parts usually hold the reply already; else one read of the part.
  const part = detail?.included.parts.find((p) => p.nativeId === outcome.partId) ?? (await deps.readPart(request.conversationId, outcome.partId, scope));
  return { changed: true, detail, part };
}

/**
 * The reply `request` made, read back from the newest parts. Parts that carry a marker
 * field are matched by it (`external_id`, else `random_id`); only where the parts carry
 * neither does the author, type and exact body decide, and then only for parts created
 * at or after the first attempt (less the clock skew), so an older identical message is
 * never taken for it.
 */
export async function findCarrotReply(deps: WriterDeps, request: ReplyRequest, actor: CarrotActor, scope: CallScope): Promise<ConversationPart | null> {
  if (!DECIMAL_ID.test(request.conversationId)) return null;
  const since = request.firstAttemptAt - CLOCK_SKEW_MS;
  let position: string | undefined;
  for (let page = 0; page < MAX_READ_BACK_PAGES; page += 1) {
    const body = await deps.get(
      'conversations.parts',
      `/conversations/${pathSegment(request.conversationId)}/parts`,
      { paginate_direction: 'before', paginate_page_order: 'desc', paginate_count: MAX_PAGE, paginate_position: position },
      markedPartsResponseSchema,
      scope,
    );
    const isOurs = matcher(body.data, request, actor, since);
    const found = body.data.find(isOurs);
    if (found) return mapPart(found, request.conversationId, deps.sourceId);
    const oldest = body.data.at(-1);
    if (!oldest || !body.meta.next_before_position || createdMs(oldest) < since) return null;
    position = JSON.stringify([carrotId(oldest.id)]);
  }
  return null;
}

/** How a page's parts are told apart: by the marker field the provider returns, else by content and time. */
function matcher(parts: readonly CarrotMarkedPart[], request: ReplyRequest, actor: CarrotActor, since: number): (part: CarrotMarkedPart) => boolean {
  const type = request.internal ? 'note' : 'reply_admin';
  if (parts.some((part) => part.external_id !== undefined)) return (part) => part.external_id === request.marker && part.type === type;
  if (parts.some((part) => part.random_id !== undefined)) {
    return (part) => request.markerNumber !== 0 && Number(part.random_id) === request.markerNumber && part.type === type;
  }
  return (part) => part.type === type && part.body === request.body && isFrom(part, actor) && createdMs(part) >= since;
}

function isFrom(part: CarrotMarkedPart, actor: CarrotActor): boolean {
  const from = part.from;
  if (from === null || from === undefined || typeof from !== 'object') return false;
  if (actor.adminId === 'default_admin') return from.type === 'default_admin';
  return from.id !== null && from.id !== undefined && from.id !== '' && carrotId(from.id) === actor.adminId;
}

/** `created` as epoch ms; an unreadable time counts as long ago. */
function createdMs(part: CarrotMarkedPart): number {
  return toMillis(part.created) ?? 0;
}

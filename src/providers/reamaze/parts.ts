import { UpstreamNotFound } from '../../http/errors.js';
import { emptyIncluded, type ConversationPart, type Included } from '../../domain/model.js';
import type { PartsPage, PartsRequest } from '../adapter.js';
import { mergeIncluded } from '../kit/included.js';
import { createMessageThread, MESSAGES_PAGE_SIZE, type FetchMessages, type MessageThread } from './message-thread.js';
import { lastCustomerMessageId, parsePartId, partId } from './part-ids.js';
import { mapMessage } from './part-mapper.js';
import type { ReamazeMessage } from './schemas.js';

export { MESSAGES_PAGE_SIZE, type FetchMessages } from './message-thread.js';

/**
 * Parts oldest first after `afterPartId`, in either order the provider pages messages
 * (message-thread.ts). A positional id (`<slug>#<index>`) names its place directly; the
 * list's last customer message (`<slug>#u<ms>`) is first found by its time. An unknown
 * conversation has no parts.
 */
export async function listParts(sourceId: string, fetchMessages: FetchMessages, request: PartsRequest): Promise<PartsPage> {
  const { conversationId: slug, first } = request;
  const thread = createMessageThread(slug, fetchMessages);
  try {
    const start = await startIndex(slug, request.afterPartId, thread);
    const parts: ConversationPart[] = [];
    const included: Included[] = [];
    for (let index = start; parts.length < first; index += 1) {
      const message = await thread.at(index);
      if (message === undefined) break;
      const mapped = mapMessage(sourceId, slug, index, message);
      parts.push(mapped.part);
      included.push({ ...emptyIncluded(), users: mapped.user ? [mapped.user] : [], admins: mapped.admin ? [mapped.admin] : [] });
    }
    const hasNextPage = parts.length === first && (await thread.has(start + parts.length));
    return { parts, hasNextPage, totalCount: thread.total(), included: mergeIncluded(...included) };
  } catch (error) {
    if (error instanceof UpstreamNotFound) return { parts: [], hasNextPage: false, totalCount: null, included: emptyIncluded() };
    throw error;
  }
}

/**
 * One part by id. A positional id reads the one page that holds it. The list's last
 * customer message (`#u<ms>`) is found by its time and keeps the id it was known by, so
 * `node(id)` answers with the id it was asked for.
 */
export async function getPart(sourceId: string, fetchMessages: FetchMessages, slug: string, id: string): Promise<ConversationPart | null> {
  const position = parsePartId(slug, id);
  if (position === null) return null;
  if ('index' in position) {
    const afterPartId = position.index === 0 ? null : partId(slug, position.index - 1);
    const page = await listParts(sourceId, fetchMessages, { conversationId: slug, first: 1, afterPartId });
    return page.parts[0]?.nativeId === id ? page.parts[0] : null;
  }
  const at = position.customerMessageAt;
  const page = await listParts(sourceId, fetchMessages, { conversationId: slug, first: 5, afterPartId: lastCustomerMessageId(slug, at - 1) });
  const found = page.parts.find((part) => part.createdAt === at && part.kind === 'USER_REPLY');
  return found ? { ...found, nativeId: id } : null;
}

function isCustomerMessage(message: ReamazeMessage): boolean {
  return !message.user?.['staff?'] && !message.user?.['bot?'];
}

/** The 0-based position of the first part to serve; opens the thread on the page a reader needs first. */
async function startIndex(slug: string, afterPartId: string | null, thread: MessageThread): Promise<number> {
  if (afterPartId === null) {
    await thread.open(1);
    return 0;
  }
  const position = parsePartId(slug, afterPartId);
  // The resolver refuses such a cursor first (`isPartOf`): reaching here is a bug.
  if (position === null) {
    throw new TypeError(`${JSON.stringify(afterPartId)} is not a part id of Re:amaze conversation ${JSON.stringify(slug)}`);
  }
  if ('index' in position) {
    await thread.open(Math.floor((position.index + 1) / MESSAGES_PAGE_SIZE) + 1);
    return position.index + 1;
  }
  await thread.open(1);
  for (let index = 0; ; index += 1) {
    const message = await thread.at(index);
    if (message === undefined) return index;
    const at = Date.parse(message.created_at);
    if (at > position.customerMessageAt) return index;
    if (at === position.customerMessageAt && isCustomerMessage(message)) return index + 1;
  }
}

import { UpstreamNotFound } from '../../http/errors.js';
import { emptyIncluded, type ConversationPart, type Included } from '../../model.js';
import type { PartsPage, PartsRequest } from '../adapter.js';
import { mergeIncluded } from './mapper.js';
import { lastCustomerMessageId, parsePartId, partId } from './part-ids.js';
import { mapMessage } from './part-mapper.js';
import type { ReamazeMessage, ReamazeMessageList } from './schemas.js';

/** Re:amaze serves a conversation's messages oldest first, 30 a page (docs/provider-assumptions.md). */
export const MESSAGES_PAGE_SIZE = 30;

/** Reads one page (1-based) of a conversation's messages. */
export type FetchMessages = (slug: string, page: number) => Promise<ReamazeMessageList>;

/**
 * Parts oldest first after `afterPartId`. A positional id (`<slug>#<index>`) names its page
 * and offset directly; the list's last customer message (`<slug>#u<ms>`) is first found by
 * its time. An unknown conversation has no parts.
 */
export async function listParts(sourceId: string, fetchMessages: FetchMessages, request: PartsRequest): Promise<PartsPage> {
  const { conversationId: slug, first } = request;
  const pages = new Map<number, Promise<ReamazeMessageList>>();
  // Locating a part by time may already have read the page that serving starts on.
  const page = (number: number): Promise<ReamazeMessageList> => {
    let body = pages.get(number);
    if (!body) {
      body = fetchMessages(slug, number);
      pages.set(number, body);
    }
    return body;
  };

  try {
    const start = await startIndex(slug, request.afterPartId, page);
    const parts: ConversationPart[] = [];
    const included: Included[] = [];
    let number = Math.floor(start / MESSAGES_PAGE_SIZE) + 1;
    let offset = start - (number - 1) * MESSAGES_PAGE_SIZE;
    let hasNextPage = false;
    let totalCount: number | null = null;
    for (;;) {
      const body = await page(number);
      totalCount = body.total_count ?? null;
      const isLast = number >= body.page_count || body.messages.length === 0;
      const available = body.messages.slice(offset);
      const taken = available.slice(0, Math.max(0, first - parts.length));
      taken.forEach((message, i) => {
        const mapped = mapMessage(sourceId, slug, (number - 1) * MESSAGES_PAGE_SIZE + offset + i, message);
        parts.push(mapped.part);
        included.push({ ...emptyIncluded(), users: mapped.user ? [mapped.user] : [], admins: mapped.admin ? [mapped.admin] : [] });
      });
      if (parts.length >= first) {
        hasNextPage = taken.length < available.length || !isLast;
        break;
      }
      if (isLast) break;
      number += 1;
      offset = 0;
    }
    return { parts, hasNextPage, totalCount, included: mergeIncluded(included) };
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

/** The 0-based position of the first part to serve. */
async function startIndex(
  slug: string,
  afterPartId: string | null,
  page: (number: number) => Promise<ReamazeMessageList>,
): Promise<number> {
  if (afterPartId === null) return 0;
  const position = parsePartId(slug, afterPartId);
  if (position === null) {
    throw new TypeError(`${JSON.stringify(afterPartId)} is not a part id of Re:amaze conversation ${JSON.stringify(slug)}`);
  }
  if ('index' in position) return position.index + 1;
  for (let number = 1; ; number += 1) {
    const body = await page(number);
    for (const [i, message] of body.messages.entries()) {
      const index = (number - 1) * MESSAGES_PAGE_SIZE + i;
      const at = Date.parse(message.created_at);
      if (at > position.customerMessageAt) return index;
      if (at === position.customerMessageAt && isCustomerMessage(message)) return index + 1;
    }
    if (number >= body.page_count || body.messages.length === 0) {
      return (number - 1) * MESSAGES_PAGE_SIZE + body.messages.length;
    }
  }
}

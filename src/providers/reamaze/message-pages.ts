import { pathSegment } from '../../http/path-segment.js';
import type { DroppedRow } from '../../http/payload-rows.js';
import type { CallScope } from '../../http/upstream-client.js';
import type { PartsPage, PartsRequest } from '../adapter.js';
import { keepOnePage, pageRowCap } from '../kit/numbered-pages.js';
import { listParts, MESSAGES_PAGE_SIZE, type FetchMessages } from './parts.js';
import type { ReamazeCalls } from './request.js';
import { messageListSchema } from './schemas.js';

/** Where a messages page keeps its rows. */
const MESSAGE_ROWS = 'messages';

/**
 * Message pages cut to a page each: a message past a page has no place in the thread
 * (the next page starts after it), so it is left out and noted in `overflow`.
 */
export function createMessagePages(calls: ReamazeCalls, scope: CallScope): { fetch: FetchMessages; overflow: DroppedRow[] } {
  const overflow: DroppedRow[] = [];
  const fetch: FetchMessages = async (slug, page) => {
    const body = await calls.get(
      { endpoint: 'messages.list', path: `/api/v1/conversations/${pathSegment(slug)}/messages`, query: { page }, rows: pageRowCap(MESSAGE_ROWS, MESSAGES_PAGE_SIZE) },
      messageListSchema,
      scope,
    );
    const kept = keepOnePage(body.messages, MESSAGES_PAGE_SIZE, MESSAGE_ROWS);
    overflow.push(...kept.overflow);
    return { ...body, messages: [...kept.rows] };
  };
  return { fetch, overflow };
}

/** One page of a conversation's parts, reporting the messages no page had room for. */
export async function listReamazeMessages(sourceId: string, calls: ReamazeCalls, request: PartsRequest, scope: CallScope): Promise<PartsPage> {
  const pages = createMessagePages(calls, scope);
  const page = await listParts(sourceId, pages.fetch, request);
  return pages.overflow.length === 0 ? page : { ...page, dropped: pages.overflow };
}

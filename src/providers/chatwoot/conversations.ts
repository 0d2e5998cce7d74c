import { pathSegment } from '../../http/path-segment.js';
import { readRows, type DroppedRow } from '../../http/payload-rows.js';
import type { CallScope } from '../../http/upstream-client.js';
import { emptyIncluded, type Conversation } from '../../domain/model.js';
import type { ConversationDetail, ListPage, ListRequest } from '../adapter.js';
import { keepOnePage, pageRowCap, readNumberedPage } from '../kit/numbered-pages.js';
import { numberOf } from '../kit/wire.js';
import type { ChatwootDirectory } from './directory.js';
import { countKey, listQuery, nativeParams, type ChatwootListParams } from './filters.js';
import { isDisplayId } from './hints.js';
import { IncludedCollector, mergeIncluded } from '../kit/included.js';
import { conversationIncluded, mapConversation, type MapContext } from './mapper.js';
import { perDecimalId, type ChatwootCalls } from './request.js';
import { conversationListSchema, conversationSchema, type ChatwootConversation } from './schemas.js';

/** Where a conversations list page keeps its rows. */
const LIST_ROWS = 'data.payload';

/** What the conversation reads of one account need. */
export interface ConversationReads {
  ctx: MapContext;
  calls: ChatwootCalls;
  directory: ChatwootDirectory;
  /** Rows per list page: the server's CONVERSATION_RESULTS_PER_PAGE. */
  pageSize: number;
  /** Earlier pages one resume may re-read when rows shifted. */
  maxStepsBack: number;
}

/** One page of the account's conversations, read through the numbered-page walk. */
export async function listChatwootConversations(reads: ConversationReads, request: ListRequest, scope: CallScope): Promise<ListPage> {
  if (request.plan.empty) return { rows: [], next: null, totalCount: 0, included: emptyIncluded() };
  const params = nativeParams(request.plan);
  const included = new IncludedCollector();
  let totalCount: number | null = null;
  // A boundary page may be read again: each unreadable row counts once.
  let dropped: DroppedRow[] = [];
  const fetchPage = async (page: number, firstRead: boolean) => {
    const fetched = await fetchListPage(reads, params, page, scope);
    totalCount = fetched.totalCount;
    if (firstRead) dropped = fetched.dropped;
    included.add(fetched.included);
    return fetched;
  };

  const { rows, next } = await readNumberedPage<Conversation>({
    request,
    isNativeId: isDisplayId,
    keyOf: (row) => ({ micros: row.lastUpdateMicros, sourceId: reads.ctx.sourceId, nativeId: row.nativeId }),
    fetchPage,
    maxStepsBack: reads.maxStepsBack,
  });
  included.add(reads.directory.cachedFor(rows.map(({ row }) => row)));
  return {
    rows: rows.map(({ row, hint }) => ({ conversation: row, hint })),
    next,
    totalCount,
    included: included.toIncluded(),
    dropped,
  };
}

/** Conversations by display id, one call each; a 404 or a malformed id answers null. */
export function getChatwootConversations(reads: ConversationReads, ids: readonly string[], scope: CallScope): Promise<Array<ConversationDetail | null>> {
  return perDecimalId(ids, async (id) => {
    const item = await reads.calls.get(
      { endpoint: 'conversations.get', path: `${reads.calls.accountPath}/conversations/${pathSegment(id)}` },
      conversationSchema,
      scope,
    );
    const { conversation, included } = mapItem(reads, item);
    return { conversation, included: mergeIncluded(included, reads.directory.cachedFor([conversation])) };
  });
}

async function fetchListPage(reads: ConversationReads, params: ChatwootListParams, page: number, scope: CallScope) {
  const { pageSize } = reads;
  const query = listQuery(params, page);
  const body = await reads.calls.getList('conversations.list', '/conversations', conversationListSchema, scope, { query, rows: pageRowCap(LIST_ROWS, pageSize) });
  const { rows: payload, overflow } = keepOnePage(body.data.payload, pageSize, LIST_ROWS);
  const totalCount = numberOf(body.data.meta[countKey(params)]);
  const included = new IncludedCollector();
  const read = readRows(payload, conversationSchema, LIST_ROWS);
  const dropped = [...read.dropped, ...overflow];
  const rows = read.rows.map((item) => {
    const mapped = mapItem(reads, item);
    included.add(mapped.included);
    return mapped.conversation;
  });
  const isLast = payload.length < pageSize || (totalCount !== null && page * pageSize >= totalCount);
  return { rows, isLast, totalCount, included: included.toIncluded(), dropped };
}

/** One conversation payload (a list item, the show body, or a write's answer) mapped, its bots remembered. */
export function mapItem(reads: ConversationReads, item: ChatwootConversation): ConversationDetail {
  const conversation = mapConversation(item, reads.ctx);
  const included = conversationIncluded(item, conversation, reads.ctx);
  reads.directory.rememberBots(included.admins);
  return { conversation, included };
}

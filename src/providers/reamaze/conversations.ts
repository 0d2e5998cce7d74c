import { pathSegment } from '../../http/path-segment.js';
import { readRows, type DroppedRow } from '../../http/payload-rows.js';
import type { CallScope } from '../../http/upstream-client.js';
import { emptyIncluded } from '../../domain/model.js';
import type { ConversationDetail, ListPage, ListRequest } from '../adapter.js';
import { isNumberedHint, keepOnePage, pageRowCap, readNumberedPage, type NumberedPage } from '../kit/numbered-pages.js';
import { toListQuery, type ReamazeListQuery } from './filters.js';
import { mergeIncluded } from '../kit/included.js';
import { mapConversation, type MappedConversation } from './mapper.js';
import { orNull } from '../kit/not-found.js';
import { type ReamazeCalls } from './request.js';
import { conversationPageSchema, conversationSchema, listedConversationSchema } from './schemas.js';

/** Conversations per list page: fixed by Re:amaze, no request can change it (providers.md 3.2). */
export const CONVERSATIONS_PAGE_SIZE = 30;

/** Where a conversations list page keeps its rows. */
const LIST_ROWS = 'conversations';

/** Re:amaze's native conversation id: the slug. */
const isSlug = (id: string) => id !== '';

/** Where a cursor resumes this source (numbered-pages.ts). */
export const isReamazeHint = (hint: unknown) => isNumberedHint(hint, isSlug);

export interface ConversationReads {
  sourceId: string;
  calls: ReamazeCalls;
  /** Earlier pages one resume may re-read when rows shifted up between requests. */
  maxStepsBack?: number | undefined;
}

/** One page of the brand's conversations by last change, read through the numbered-page walk. */
export async function listReamazeConversations(reads: ConversationReads, request: ListRequest, scope: CallScope): Promise<ListPage> {
  if (request.plan.empty) return { rows: [], next: null, totalCount: 0, included: emptyIncluded() };
  const { sourceId, calls } = reads;
  const native = request.plan.native as ReamazeListQuery;
  let totalCount: number | null | undefined;
  let dropped: DroppedRow[] = [];
  const fetchPage = async (page: number, firstRead: boolean): Promise<NumberedPage<MappedConversation>> => {
    const body = await calls.getCollection(
      {
        endpoint: 'conversations.list',
        path: '/api/v1/conversations',
        query: toListQuery(native, page),
        rows: pageRowCap(LIST_ROWS, CONVERSATIONS_PAGE_SIZE),
      },
      conversationPageSchema,
      scope,
    );
    totalCount ??= body.total_count ?? null;
    const { rows: listed, overflow } = keepOnePage(body.conversations, CONVERSATIONS_PAGE_SIZE, LIST_ROWS);
    const read = readRows(listed, listedConversationSchema, LIST_ROWS);
    // A boundary page may be read again: each unreadable row counts once.
    if (firstRead) dropped = [...read.dropped, ...overflow];
    return {
      rows: read.rows.map((row) => mapConversation(sourceId, row)),
      isLast: page >= body.page_count || listed.length === 0,
    };
  };

  const { rows, next } = await readNumberedPage<MappedConversation>({
    request,
    isNativeId: isSlug,
    keyOf: ({ conversation }) => ({ micros: conversation.lastUpdateMicros, sourceId, nativeId: conversation.nativeId }),
    fetchPage,
    ...(reads.maxStepsBack === undefined ? {} : { maxStepsBack: reads.maxStepsBack }),
  });
  return {
    rows: rows.map(({ row: { conversation }, hint }) => ({ conversation, hint })),
    next,
    totalCount: totalCount ?? null,
    included: mergeIncluded(...rows.map(({ row }) => row.included)),
    dropped,
  };
}

/** One conversation by slug, or null when the brand has none. */
export async function getReamazeConversation(reads: ConversationReads, slug: string, scope: CallScope): Promise<ConversationDetail | null> {
  const body = await orNull(
    reads.calls.get({ endpoint: 'conversations.get', path: `/api/v1/conversations/${pathSegment(slug)}` }, conversationSchema, scope),
  );
  return body === null ? null : mapConversation(reads.sourceId, body);
}

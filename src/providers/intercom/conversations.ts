import { readRows, type DroppedRow } from '../../http/payload-rows.js';
import { pathSegment } from '../../http/path-segment.js';
import type { CallScope } from '../../http/upstream-client.js';
import { emptyIncluded, type ConversationPart, type Included } from '../../domain/model.js';
import type { ConversationDetail, FilterPlan, ListedConversation, ListPage, ListRequest, ResumeHint } from '../adapter.js';
import { DECIMAL_ID } from '../native-ids.js';
import type { IntercomDirectory } from './directory.js';
import type { IntercomListNative } from './filters.js';
import { botFromAuthor, collectIncluded, mapConversation, mapPart, mapSourcePart } from './mapper.js';
import { searchQuery } from './query.js';
import { orNull, perId, type IntercomCalls } from './request.js';
import { conversationDetailSchema, conversationListSchema, conversationSchema, partSchema, type IntercomConversation, type IntercomConversationDetail } from './schemas.js';

/** The most rows one search page holds (docs/providers/intercom.md section 5). */
export const MAX_PAGE = 150;
/** Cursors are base64-like text; anything longer or stranger was never written by this adapter. */
const CURSOR = /^[A-Za-z0-9+/=_-]{0,512}$/;

/**
 * Where a source resumes: the `starting_after` of an upstream page ('' for the first) and
 * how many of its rows were already handed out. The planner drops rows at or before the
 * last edge, so re-reading those few is safe; asking for them and `want` more in one page
 * keeps page N at one call, as page 1.
 */
export type Position = readonly [cursor: string, skip: number];

export function isPosition(value: unknown): value is Position {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && CURSOR.test(value[0]) && Number.isInteger(value[1]) && value[1] >= 0 && value[1] < MAX_PAGE;
}

export interface ConversationCalls {
  sourceId: string;
  calls: IntercomCalls;
  directory: IntercomDirectory;
}

/** One search page, newest activity first. */
export async function listIntercomConversations(context: ConversationCalls, request: ListRequest, scope: CallScope): Promise<ListPage> {
  const empty: ListPage = { rows: [], next: null, totalCount: 0, included: emptyIncluded() };
  const native = nativeOf(request.plan);
  if (request.plan.empty) return empty;
  const position = request.continuation ?? request.hint ?? ['', 0];
  if (!isPosition(position)) throw new TypeError(`Intercom resumes from [cursor, skip], got ${JSON.stringify(position)}`);
  const tagIds = native.tags ? await context.directory.tagIds.get(scope) : new Map<string, string>();
  const query = searchQuery(native, tagIds);
  if (query === null) return empty;
  const [cursor, skip] = position;
  const perPage = Math.min(MAX_PAGE, Math.max(1, skip + Math.floor(request.want)));
  const body = await context.calls.readCollection(
    {
      endpoint: 'conversations.search',
      path: '/conversations/search',
      method: 'POST',
      // A search is a read: retried and shared like a GET.
      idempotent: true,
      body: { json: { query, pagination: { per_page: perPage, ...(cursor ? { starting_after: cursor } : {}) } } },
      rows: { path: 'conversations', max: perPage },
    },
    conversationListSchema,
    scope,
  );
  const { read, dropped } = readIndexed(body.conversations);
  const next = body.conversations.length > 0 ? body.pages?.next?.starting_after || null : null;
  const lastIndex = body.conversations.length - 1;
  const rows: ListedConversation[] = read.map(({ row, index }) => ({
    conversation: mapConversation(row, context.sourceId),
    hint: (index === lastIndex && next !== null ? [next, 0] : [cursor, index + 1]) as ResumeHint,
  }));
  return {
    rows,
    next: next === null ? null : ([next, 0] as Position),
    totalCount: body.total_count ?? null,
    included: collectIncluded(read.map(({ row }) => row), context.sourceId),
    dropped,
  };
}

/** Rows with their index in the page, so a hint counts unreadable rows too. */
function readIndexed(items: readonly unknown[]) {
  const read: Array<{ row: IntercomConversation; index: number }> = [];
  const dropped: DroppedRow[] = [];
  items.forEach((item, index) => {
    const one = readRows([item], conversationSchema, 'conversations');
    if (one.rows[0]) read.push({ row: one.rows[0], index });
    else for (const row of one.dropped) dropped.push({ ...row, path: row.path.replace('conversations[0]', `conversations[${index}]`) });
  });
  return { read, dropped };
}

/** A conversation with its thread as Parley shows it: the first message, then the parts the API returns. */
export interface Thread {
  detail: ConversationDetail;
  /** Oldest first. */
  parts: ConversationPart[];
  /** Parts Intercom holds but does not return (older than its newest 500). */
  hidden: number;
  dropped: DroppedRow[];
}

export async function readThread(context: ConversationCalls, id: string, scope: CallScope): Promise<Thread | null> {
  if (!DECIMAL_ID.test(id)) return null;
  const body = await orNull(context.calls.read({ endpoint: 'conversations.get', path: `/conversations/${pathSegment(id)}` }, conversationDetailSchema, scope));
  return body ? threadOf(body, id, context.sourceId) : null;
}

/** A conversation payload (a read by id, or a write's answer) as its thread. */
export function threadOf(body: IntercomConversationDetail, id: string, sourceId: string): Thread {
  const listed = body.conversation_parts?.conversation_parts ?? [];
  const { rows, dropped } = readRows(listed, partSchema, 'conversation_parts.conversation_parts');
  const first = body.source ? mapSourcePart(body.source, id, sourceId) : null;
  const parts = [...(first ? [first] : []), ...rows.map((part) => mapPart(part, id, sourceId))];
  const total = Number(body.conversation_parts?.total_count ?? listed.length);
  const included: Included = { ...collectIncluded([body], sourceId), parts };
  const bots = new Map([body.source?.author, ...rows.map((part) => part.author)].flatMap((author) => {
    const bot = author ? botFromAuthor(author, sourceId) : null;
    return bot ? [[bot.nativeId, bot] as const] : [];
  }));
  included.admins = [...bots.values()];
  return {
    detail: { conversation: mapConversation(body, sourceId, parts), included },
    parts,
    hidden: Number.isFinite(total) ? Math.max(0, total - listed.length) : 0,
    dropped,
  };
}

export function getIntercomConversations(context: ConversationCalls, ids: readonly string[], scope: CallScope): Promise<Array<ConversationDetail | null>> {
  return perId(ids, (id) => DECIMAL_ID.test(id), async (id) => (await readThread(context, id, scope))?.detail ?? null);
}

function nativeOf(plan: FilterPlan): IntercomListNative {
  const native = plan.native as Partial<IntercomListNative> | null;
  if (!native || !Array.isArray(native.filters)) throw new TypeError("listConversations needs a plan made by this source's planFilter");
  return native as IntercomListNative;
}

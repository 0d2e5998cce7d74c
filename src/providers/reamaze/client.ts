import type { z } from 'zod';
import { SourceError, UpstreamNotFound } from '../../http/errors.js';
import { pathSegment } from '../../http/path-segment.js';
import { readRows, type DroppedRow } from '../../http/payload-rows.js';
import type { CallScope, UpstreamRequest } from '../../http/upstream-client.js';
import { emptyIncluded, type Admin, type Channel, type User } from '../../model.js';
import type {
  ConversationDetail,
  ListPage,
  ListRequest,
  PartsPage,
  PartsRequest,
  ResumeHint,
  SourceClient,
  SourceRuntime,
} from '../adapter.js';
import { planFilter, toListQuery, type ReamazeListQuery } from './filters.js';
import { mapAdmin, mapAuthor, mapChannel, mapConversation, mergeIncluded, userIdOf, type MappedConversation } from './mapper.js';
import { getPart, listParts, MESSAGES_PAGE_SIZE, type FetchMessages } from './parts.js';
import {
  channelListSchema,
  conversationListSchema,
  conversationPageSchema,
  conversationSchema,
  listedConversationSchema,
  messageListSchema,
  staffListSchema,
  type ReamazeConfig,
} from './schemas.js';
import { ListCache } from '../list-cache.js';
import { isNumberedHint, keepOnePage, pageRowCap, readNumberedPage, type NumberedPage } from '../numbered-pages.js';

export interface ReamazeSourceOptions {
  /**
   * How long the staff and channel lists are reused across requests, in milliseconds.
   * @default 60000
   */
  cacheTtlMs?: number;
  /**
   * How many earlier pages one resume may re-read when rows shifted up between requests.
   * @default 3
   */
  maxStepsBack?: number;
}

/** Conversations per list page: fixed by Re:amaze, no request can change it (providers.md 3.2). */
export const CONVERSATIONS_PAGE_SIZE = 30;

/** Where a conversations list page keeps its rows. */
const LIST_ROWS = 'conversations';

/** Where a messages page keeps its rows. */
const MESSAGE_ROWS = 'messages';

/** Re:amaze's native conversation id: the slug. */
const isSlug = (id: string) => id !== '';

/** Where a cursor resumes this source (numbered-pages.ts). */
const isReamazeHint = (hint: unknown) => isNumberedHint(hint, isSlug);

/** The prefix of user ids that are SSO ids (customers without an email); see `userIdOf`. */
const SSO_PREFIX = 'sso:';

/**
 * A Re:amaze brand as a Parley source. Every call is a GET with HTTP Basic
 * `email:token` in the header; `runtime.http` is already bound to the brand's origin.
 */
export function createReamazeSource(
  sourceId: string,
  config: Pick<ReamazeConfig, 'email' | 'token'>,
  runtime: SourceRuntime,
  options: ReamazeSourceOptions = {},
): SourceClient {
  const { http } = runtime;
  const headers = {
    authorization: `Basic ${Buffer.from(`${config.email}:${config.token}`, 'utf8').toString('base64')}`,
    accept: 'application/json',
  };
  const ttlMs = options.cacheTtlMs ?? runtime.listCacheTtlMs ?? 60_000;
  const staffCache = new ListCache<Admin[]>(ttlMs, runtime.now, (scope) => loadStaff(scope), { sourceId, cache: 'staff.list' });
  const channelCache = new ListCache<Channel[]>(ttlMs, runtime.now, (scope) => loadChannels(scope), { sourceId, cache: 'channels.list' });

  const get = <Schema extends z.ZodType>(request: Omit<UpstreamRequest, 'headers'>, schema: Schema, scope: CallScope) =>
    http.getJson({ ...request, headers }, schema, scope);

  /** On a collection, 404 means the brand or the API path is wrong (providers.md 3.6), not "no such node". */
  const getCollection = async <Schema extends z.ZodType>(
    request: Omit<UpstreamRequest, 'headers'>,
    schema: Schema,
    scope: CallScope,
  ): Promise<z.output<Schema>> => {
    try {
      return await get(request, schema, scope);
    } catch (error) {
      if (!(error instanceof UpstreamNotFound)) throw error;
      throw new SourceError('SOURCE_UNAVAILABLE', `${request.endpoint}: the provider does not know this brand or API path (HTTP 404)`, {
        sourceId,
        status: 404,
        retryable: false,
      });
    }
  };

  const loadStaff = async (scope: CallScope): Promise<Admin[]> => {
    const fetchPage = (page: number) =>
      getCollection({ endpoint: 'staff.list', path: '/api/v1/staff', query: { page } }, staffListSchema, scope);
    const first = await fetchPage(1);
    const rest = await Promise.all(
      Array.from({ length: Math.max(0, first.page_count - 1) }, (_, i) => fetchPage(i + 2)),
    );
    return [first, ...rest].flatMap((page) => page.staff.map((staff) => mapAdmin(sourceId, staff)));
  };

  const loadChannels = async (scope: CallScope): Promise<Channel[]> => {
    const body = await getCollection({ endpoint: 'channels.list', path: '/api/v1/channels' }, channelListSchema, scope);
    return body.channels.map((channel) => mapChannel(sourceId, channel));
  };

  async function listConversations(request: ListRequest, scope: CallScope): Promise<ListPage> {
    if (request.plan.empty) return { rows: [], next: null, totalCount: 0, included: emptyIncluded() };
    const native = request.plan.native as ReamazeListQuery;
    let totalCount: number | null | undefined;
    let dropped: DroppedRow[] = [];
    const fetchPage = async (page: number, firstRead: boolean): Promise<NumberedPage<MappedConversation>> => {
      const body = await getCollection(
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
      ...(options.maxStepsBack === undefined ? {} : { maxStepsBack: options.maxStepsBack }),
    });
    return {
      rows: rows.map(({ row: { conversation }, hint }) => ({ conversation, hint })),
      next,
      totalCount: totalCount ?? null,
      included: mergeIncluded(rows.map(({ row }) => row.included)),
      dropped,
    };
  }

  async function getConversation(slug: string, scope: CallScope): Promise<ConversationDetail | null> {
    try {
      const body = await get(
        { endpoint: 'conversations.get', path: `/api/v1/conversations/${pathSegment(slug)}` },
        conversationSchema,
        scope,
      );
      return mapConversation(sourceId, body);
    } catch (error) {
      if (error instanceof UpstreamNotFound) return null;
      throw error;
    }
  }

  /**
   * Re:amaze has no contact-by-id endpoint: a customer is read from the author of one
   * of their conversations (`for=<email>`, or `for_id=<SSO id>`; page 1 only).
   */
  async function getUser(id: string, scope: CallScope): Promise<User | null> {
    const sso = id.startsWith(SSO_PREFIX) ? id.slice(SSO_PREFIX.length) : null;
    if (sso === null && !id.includes('@')) return null;
    const query = sso === null ? { for: id, filter: 'all' } : { for_id: sso, filter: 'all' };
    try {
      const body = await get({ endpoint: 'users.lookup', path: '/api/v1/conversations', query }, conversationListSchema, scope);
      const author = body.conversations.find((conversation) => conversation.author && userIdOf(conversation.author) === id)?.author;
      return author ? mapAuthor(sourceId, author) : null;
    } catch (error) {
      if (error instanceof UpstreamNotFound) return null;
      throw error;
    }
  }

  /**
   * Message pages cut to a page each: a message past a page has no place in the thread
   * (the next page starts after it), so it is left out and noted in `overflow`.
   */
  const messagePages = (scope: CallScope) => {
    const overflow: DroppedRow[] = [];
    const fetch: FetchMessages = async (slug, page) => {
      const body = await get(
        { endpoint: 'messages.list', path: `/api/v1/conversations/${pathSegment(slug)}/messages`, query: { page }, rows: pageRowCap(MESSAGE_ROWS, MESSAGES_PAGE_SIZE) },
        messageListSchema,
        scope,
      );
      const kept = keepOnePage(body.messages, MESSAGES_PAGE_SIZE, MESSAGE_ROWS);
      overflow.push(...kept.overflow);
      return { ...body, messages: [...kept.rows] };
    };
    return { fetch, overflow };
  };

  async function listMessages(request: PartsRequest, scope: CallScope): Promise<PartsPage> {
    const pages = messagePages(scope);
    const page = await listParts(sourceId, pages.fetch, request);
    return pages.overflow.length === 0 ? page : { ...page, dropped: pages.overflow };
  }

  return {
    sourceId,
    provider: 'reamaze',
    pageSizes: { conversations: CONVERSATIONS_PAGE_SIZE, parts: MESSAGES_PAGE_SIZE },
    planFilter,
    listConversations,
    getConversations: (ids, scope) => Promise.all(ids.map((id) => getConversation(id, scope))),
    listParts: listMessages,
    // One part by id has no connection to report on: a part past a page's 30 has no id anyway.
    getPart: (conversationId, partId, scope) => getPart(sourceId, messagePages(scope).fetch, conversationId, partId),
    getUsers: (ids, scope) => Promise.all(ids.map((id) => getUser(id, scope))),
    async getAdmins(ids, scope) {
      const byEmail = new Map((await staffCache.get(scope)).map((admin) => [admin.nativeId, admin]));
      return ids.map((id) => byEmail.get(id.toLowerCase()) ?? null);
    },
    async getChannels(ids, scope) {
      const bySlug = new Map((await channelCache.get(scope)).map((channel) => [channel.nativeId, channel]));
      return ids.map((id) => bySlug.get(id) ?? null);
    },
    listChannels: (scope) => channelCache.get(scope),
    isValidHint: (hint: unknown): hint is ResumeHint => isReamazeHint(hint),
  };
}

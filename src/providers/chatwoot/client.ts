import type { z } from 'zod';
import type { SourceFilter } from '../../filter.js';
import { SourceError, UpstreamNotFound } from '../../http/errors.js';
import { pathSegment } from '../../http/path-segment.js';
import type { CallScope, UpstreamRequest } from '../../http/upstream-client.js';
import {
  emptyIncluded,
  type Admin,
  type Channel,
  type Conversation,
  type ConversationPart,
  type Included,
  type User,
} from '../../model.js';
import type { OrderKey } from '../../pagination/order.js';
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
import { readRows, type DroppedRow } from '../../http/payload-rows.js';
import { numberOf } from '../wire.js';
import { ChatwootDirectory } from './directory.js';
import { isChatwootHint, isDisplayId } from './hints.js';
import { keepOnePage, pageRowCap, readNumberedPage } from '../numbered-pages.js';
import { IncludedCollector, mergeIncluded } from './included.js';
import { MESSAGES_AFTER_LIMIT, servedMessages } from './parts.js';
import { countKey, listQuery, nativeParams, planFilter, type ChatwootListParams } from './filters.js';
import {
  conversationIncluded,
  mapAgent,
  mapContact,
  mapConversation,
  mapInbox,
  mapMessage,
  senderIncluded,
  type MapContext,
} from './mapper.js';
import {
  agentListSchema,
  contactResponseSchema,
  conversationListSchema,
  conversationSchema,
  inboxListSchema,
  messageListSchema,
  type ChatwootConfig,
  type ChatwootConversation,
} from './schemas.js';

export interface ChatwootSourceOptions {
  /**
   * How long the agents and inboxes lists are reused across requests.
   * @default 60000
   */
  cacheTtlMs?: number;
  /**
   * Rows per list page: the server's CONVERSATION_RESULTS_PER_PAGE, which no request can change.
   * @default 25
   */
  pageSize?: number;
  /**
   * Earlier pages one resume may re-read when rows shifted (see pagination/page-walk.ts).
   * @default 3
   */
  maxStepsBack?: number;
}

const DECIMAL = /^\d+$/;

/** Where a conversations list page keeps its rows. */
const LIST_ROWS = 'data.payload';

export function createChatwootSource(
  sourceId: string,
  config: ChatwootConfig,
  runtime: SourceRuntime,
  options: ChatwootSourceOptions = {},
): SourceClient {
  return new ChatwootSource(sourceId, config, runtime, options);
}

class ChatwootSource implements SourceClient {
  readonly provider = 'chatwoot' as const;
  readonly pageSizes: SourceClient['pageSizes'];
  private readonly ctx: MapContext;
  private readonly accountPath: string;
  private readonly headers: Record<string, string>;
  private readonly pageSize: number;
  private readonly maxStepsBack: number;
  private readonly directory: ChatwootDirectory;

  constructor(
    readonly sourceId: string,
    config: ChatwootConfig,
    private readonly runtime: SourceRuntime,
    options: ChatwootSourceOptions,
  ) {
    this.ctx = { sourceId, appUrl: config.baseUrl.replace(/\/+$/, ''), accountId: config.accountId };
    this.accountPath = `/api/v1/accounts/${config.accountId}`;
    this.headers = { api_access_token: config.token };
    this.pageSize = options.pageSize ?? 25;
    // One `after` call answers up to MESSAGES_AFTER_LIMIT messages.
    this.pageSizes = { conversations: this.pageSize, parts: MESSAGES_AFTER_LIMIT };
    this.maxStepsBack = options.maxStepsBack ?? 3;
    this.directory = new ChatwootDirectory(options.cacheTtlMs ?? runtime.listCacheTtlMs ?? 60_000, runtime.now, {
      agents: async (scope) => {
        const agents = await this.getList('agents.list', '/agents', agentListSchema, scope);
        return agents.map((agent) => mapAgent(agent, this.ctx));
      },
      inboxes: async (scope) => {
        const body = await this.getList('inboxes.list', '/inboxes', inboxListSchema, scope);
        return body.payload.map((inbox) => mapInbox(inbox, this.ctx));
      },
    }, sourceId);
  }

  planFilter(filter: SourceFilter) {
    return planFilter(filter);
  }

  async listConversations(request: ListRequest, scope: CallScope): Promise<ListPage> {
    if (request.plan.empty) return { rows: [], next: null, totalCount: 0, included: emptyIncluded() };
    const params = nativeParams(request.plan);
    const included = new IncludedCollector();
    let totalCount: number | null = null;
    // A boundary page may be read again: each unreadable row counts once.
    let dropped: DroppedRow[] = [];
    const fetchPage = async (page: number, firstRead: boolean) => {
      const fetched = await this.fetchListPage(params, page, scope);
      totalCount = fetched.totalCount;
      if (firstRead) dropped = fetched.dropped;
      included.add(fetched.included);
      return fetched;
    };

    const { rows, next } = await readNumberedPage<Conversation>({
      request,
      isNativeId: isDisplayId,
      keyOf: (row) => this.keyOf(row),
      fetchPage,
      maxStepsBack: this.maxStepsBack,
    });
    included.add(this.directory.cachedFor(rows.map(({ row }) => row)));
    return {
      rows: rows.map(({ row, hint }) => ({ conversation: row, hint })),
      next,
      totalCount,
      included: included.toIncluded(),
      dropped,
    };
  }

  async getConversations(ids: readonly string[], scope: CallScope): Promise<Array<ConversationDetail | null>> {
    return this.perId(ids, async (id) => {
      const item = await this.http(
        { endpoint: 'conversations.get', path: `${this.accountPath}/conversations/${pathSegment(id)}` },
        conversationSchema,
        scope,
      );
      const { conversation, included } = this.mapItem(item);
      return { conversation, included: mergeIncluded(included, this.directory.cachedFor([conversation])) };
    });
  }

  async getPart(conversationId: string, partId: string, scope: CallScope): Promise<ConversationPart | null> {
    if (!/^[1-9]\d*$/.test(partId)) return null;
    // `after=<id - 1>` starts the thread at the part itself, if it exists.
    const page = await this.listParts({ conversationId, first: 1, afterPartId: String(Number(partId) - 1) }, scope);
    return page.parts[0]?.nativeId === partId ? page.parts[0] : null;
  }

  async listParts(request: PartsRequest, scope: CallScope): Promise<PartsPage> {
    const { conversationId, afterPartId } = request;
    const none: PartsPage = { parts: [], hasNextPage: false, totalCount: null, included: emptyIncluded() };
    if (!DECIMAL.test(conversationId) || (afterPartId !== null && !DECIMAL.test(afterPartId))) return none;
    let body: z.output<typeof messageListSchema>;
    try {
      // `after` alone answers up to 100 messages with a greater id, oldest first; `after=0` starts at the first.
      body = await this.http(
        {
          endpoint: 'messages.list',
          path: `${this.accountPath}/conversations/${pathSegment(conversationId)}/messages`,
          query: { after: afterPartId ?? '0' },
          rows: { path: 'payload', max: MESSAGES_AFTER_LIMIT },
        },
        messageListSchema,
        scope,
      );
    } catch (error) {
      if (error instanceof UpstreamNotFound) return none;
      throw error;
    }
    const { served, hasNextPage } = servedMessages(body.payload, request.first);
    const parts = served.map((message) => mapMessage(message, this.ctx, conversationId));

    const included = new IncludedCollector();
    if (body.meta?.contact) included.add({ ...emptyIncluded(), users: [mapContact(body.meta.contact, this.ctx)] });
    for (const message of served) included.add(this.senderNodes(message));
    included.add(this.directory.cachedAuthors(parts));
    return { parts, hasNextPage, totalCount: null, included: included.toIncluded() };
  }

  async getUsers(ids: readonly string[], scope: CallScope): Promise<Array<User | null>> {
    return this.perId(ids, async (id) => {
      const body = await this.http(
        { endpoint: 'contacts.get', path: `${this.accountPath}/contacts/${pathSegment(id)}` },
        contactResponseSchema,
        scope,
      );
      return mapContact(body.payload, this.ctx);
    });
  }

  getAdmins(ids: readonly string[], scope: CallScope): Promise<Array<Admin | null>> {
    return this.directory.admins(ids, scope);
  }

  getChannels(ids: readonly string[], scope: CallScope): Promise<Array<Channel | null>> {
    return this.directory.channels(ids, scope);
  }

  listChannels(scope: CallScope): Promise<Channel[]> {
    return this.directory.allChannels(scope);
  }

  isValidHint(hint: unknown): hint is ResumeHint {
    return isChatwootHint(hint);
  }

  private keyOf(row: Conversation): OrderKey {
    return { micros: row.lastUpdateMicros, sourceId: this.sourceId, nativeId: row.nativeId };
  }

  private async fetchListPage(params: ChatwootListParams, page: number, scope: CallScope) {
    const query = listQuery(params, page);
    const body = await this.getList('conversations.list', '/conversations', conversationListSchema, scope, { query, rows: pageRowCap(LIST_ROWS, this.pageSize) });
    const { rows: payload, overflow } = keepOnePage(body.data.payload, this.pageSize, LIST_ROWS);
    const totalCount = numberOf(body.data.meta[countKey(params)]);
    const included = new IncludedCollector();
    const read = readRows(payload, conversationSchema, LIST_ROWS);
    const dropped = [...read.dropped, ...overflow];
    const rows = read.rows.map((item) => {
      const mapped = this.mapItem(item);
      included.add(mapped.included);
      return mapped.conversation;
    });
    const isLast = payload.length < this.pageSize || (totalCount !== null && page * this.pageSize >= totalCount);
    return { rows, isLast, totalCount, included: included.toIncluded(), dropped };
  }

  private mapItem(item: ChatwootConversation): ConversationDetail {
    const conversation = mapConversation(item, this.ctx);
    const included = conversationIncluded(item, conversation, this.ctx);
    this.directory.rememberBots(included.admins);
    return { conversation, included };
  }

  private senderNodes(message: Parameters<typeof senderIncluded>[0]): Included {
    const node = senderIncluded(message, this.ctx);
    if (node === null) return emptyIncluded();
    if (node.kind === 'user') return { ...emptyIncluded(), users: [node.node] };
    this.directory.rememberBots([node.node]);
    return { ...emptyIncluded(), admins: [node.node] };
  }

  /** One call per distinct decimal id, in parallel; a 404 or a malformed id answers null. */
  private async perId<T>(ids: readonly string[], load: (id: string) => Promise<T>): Promise<Array<T | null>> {
    const calls = new Map<string, Promise<T | null>>();
    for (const id of ids) {
      if (!DECIMAL.test(id) || calls.has(id)) continue;
      calls.set(
        id,
        load(id).catch((error: unknown) => {
          if (error instanceof UpstreamNotFound) return null;
          throw error;
        }),
      );
    }
    return Promise.all(ids.map((id) => calls.get(id) ?? null));
  }

  /** Account-wide lists: a 404 there means the account id is wrong, not a missing node. */
  private async getList<Schema extends z.ZodType>(
    endpoint: string,
    path: string,
    schema: Schema,
    scope: CallScope,
    request: Pick<UpstreamRequest, 'query' | 'rows'> = {},
  ): Promise<z.output<Schema>> {
    try {
      return await this.http({ ...request, endpoint, path: this.accountPath + path }, schema, scope);
    } catch (error) {
      if (!(error instanceof UpstreamNotFound)) throw error;
      throw new SourceError('UPSTREAM_BAD_RESPONSE', `${endpoint}: the account was not found (HTTP 404); check accountId`, {
        sourceId: this.sourceId,
        status: 404,
        retryable: false,
      });
    }
  }

  private http<Schema extends z.ZodType>(
    request: Omit<UpstreamRequest, 'headers'>,
    schema: Schema,
    scope: CallScope,
  ): Promise<z.output<Schema>> {
    return this.runtime.http.getJson({ ...request, headers: this.headers }, schema, scope);
  }
}

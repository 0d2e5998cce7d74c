import { pathSegment } from '../../http/path-segment.js';
import type { CallScope } from '../../http/upstream-client.js';
import type { ConversationPart } from '../../domain/model.js';
import type { ResumeHint, SourceClient, SourceRuntime } from '../adapter.js';
import { getChatwootConversations, listChatwootConversations, type ConversationReads } from './conversations.js';
import { ChatwootDirectory } from './directory.js';
import { planFilter } from './filters.js';
import { isChatwootHint } from './hints.js';
import { mapAgent, mapContact, mapInbox, type MapContext } from './mapper.js';
import { listChatwootMessages } from './messages.js';
import { MESSAGES_AFTER_LIMIT } from './parts.js';
import { createChatwootCalls, perDecimalId } from './request.js';
import { createChatwootWriter } from './writer.js';
import { createChatwootLive } from './webhook-verify.js';
import { agentListSchema, contactResponseSchema, inboxListSchema, type ChatwootConfig } from './schemas.js';

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

export function createChatwootSource(
  sourceId: string,
  config: ChatwootConfig,
  runtime: SourceRuntime,
  options: ChatwootSourceOptions = {},
): SourceClient {
  const ctx: MapContext = { sourceId, appUrl: config.baseUrl.replace(/\/+$/, ''), accountId: config.accountId };
  const calls = createChatwootCalls(sourceId, config, runtime.http);
  const directory = new ChatwootDirectory(options.cacheTtlMs ?? runtime.listCacheTtlMs ?? 60_000, runtime.now, {
    agents: async (scope) => {
      const agents = await calls.getList('agents.list', '/agents', agentListSchema, scope);
      return agents.map((agent) => mapAgent(agent, ctx));
    },
    inboxes: async (scope) => {
      const body = await calls.getList('inboxes.list', '/inboxes', inboxListSchema, scope);
      return body.payload.map((inbox) => mapInbox(inbox, ctx));
    },
  }, sourceId);
  const pageSize = options.pageSize ?? 25;
  const reads: ConversationReads = { ctx, calls, directory, pageSize, maxStepsBack: options.maxStepsBack ?? 3 };

  return {
    sourceId,
    provider: 'chatwoot',
    // One `after` call answers up to MESSAGES_AFTER_LIMIT messages.
    pageSizes: { conversations: pageSize, parts: MESSAGES_AFTER_LIMIT },
    planFilter: (filter) => planFilter(filter),
    listConversations: (request, scope) => listChatwootConversations(reads, request, scope),
    getConversations: (ids, scope) => getChatwootConversations(reads, ids, scope),

    async getPart(conversationId: string, partId: string, scope: CallScope): Promise<ConversationPart | null> {
      if (!/^[1-9]\d*$/.test(partId)) return null;
      // `after=<id - 1>` starts the thread at the part itself, if it exists.
      const page = await this.listParts({ conversationId, first: 1, afterPartId: String(Number(partId) - 1) }, scope);
      return page.parts[0]?.nativeId === partId ? page.parts[0] : null;
    },

    listParts: (request, scope) => listChatwootMessages(reads, request, scope),

    getUsers: (ids, scope) =>
      perDecimalId(ids, async (id) => {
        const body = await calls.get(
          { endpoint: 'contacts.get', path: `${calls.accountPath}/contacts/${pathSegment(id)}` },
          contactResponseSchema,
          scope,
        );
        return mapContact(body.payload, ctx);
      }),

    getAdmins: (ids, scope) => directory.admins(ids, scope),
    getChannels: (ids, scope) => directory.channels(ids, scope),
    listChannels: (scope) => directory.allChannels(scope),
    isValidHint: (hint: unknown): hint is ResumeHint => isChatwootHint(hint),
    writer: createChatwootWriter(sourceId, config, runtime.http, reads),
    live: createChatwootLive(config.webhook),
  };
}

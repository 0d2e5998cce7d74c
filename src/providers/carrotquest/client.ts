import { pathSegment } from '../../http/path-segment.js';
import type { CallScope } from '../../http/upstream-client.js';
import type { ConversationPart } from '../../domain/model.js';
import type { PartsPage, PartsRequest, ResumeHint, SourceClient, SourceRuntime } from '../adapter.js';
import { getCarrotConversations, isConversationPosition, listCarrotConversations, type ConversationCalls } from './conversations.js';
import { carrotquestProvider } from './declaration.js';
import { createChannelDirectory } from './directory.js';
import { planCarrotFilter } from './filters.js';
import { mapUser } from './mapper.js';
import { listCarrotParts } from './parts.js';
import { orNull } from '../kit/not-found.js';
import { createCarrotGet, DECIMAL_ID, MAX_PAGE, perId } from './request.js';
import { createCarrotLive, type FeedTimings } from './source-live.js';
import { userResponseSchema, type CarrotQuestConfig } from './schemas.js';
import { createCarrotWrite } from './write-send.js';
import { createCarrotWriter } from './writes.js';

export { MAX_PAGE } from './request.js';

export interface CarrotQuestSourceOptions {
  /**
   * How long the channel list (which also answers admin lookups) is reused across requests.
   * @default 60000
   */
  channelsTtlMs?: number;
  /** The realtime feed's reconnect and heartbeat timings. @default createCarrotFeed's */
  feed?: FeedTimings;
}

export function createCarrotQuestSource(
  sourceId: string,
  config: CarrotQuestConfig,
  runtime: SourceRuntime,
  options: CarrotQuestSourceOptions = {},
): SourceClient {
  const appPath = `/apps/${config.appId}`;
  const get = createCarrotGet(config, runtime);
  const calls: ConversationCalls = { appPath, get, mapContext: () => ({ sourceId, now: runtime.now() }) };
  const channelTtlMs = options.channelsTtlMs ?? runtime.listCacheTtlMs ?? 60_000;
  const channelDirectory = createChannelDirectory(sourceId, appPath, get, channelTtlMs, runtime.now);
  const writes = carrotquestProvider.writes;
  const live = createCarrotLive(sourceId, config, runtime, options.feed);

  const source: SourceClient = {
    sourceId,
    provider: 'carrotquest',
    pageSizes: { conversations: MAX_PAGE, parts: MAX_PAGE },

    planFilter: (filter) => planCarrotFilter(filter),
    listConversations: (request, scope) => listCarrotConversations(calls, request, scope),
    getConversations: (ids, scope) => getCarrotConversations(calls, ids, scope),

    async getPart(conversationId: string, partId: string, scope: CallScope): Promise<ConversationPart | null> {
      if (!DECIMAL_ID.test(partId) || partId === '0') return null;
      // Parts page by id: the one part after its predecessor id is the part itself, if it exists.
      const page = await this.listParts({ conversationId, first: 1, afterPartId: (BigInt(partId) - 1n).toString() }, scope);
      return page.parts[0]?.nativeId === partId ? page.parts[0] : null;
    },

    listParts: (request: PartsRequest, scope: CallScope): Promise<PartsPage> => listCarrotParts(get, sourceId, request, scope),

    getUsers(ids, scope) {
      return perId(ids, async (id) => {
        const body = await orNull(get('users.get', `/users/${pathSegment(id)}`, {}, userResponseSchema, scope));
        return body ? mapUser(body.data, sourceId) : null;
      });
    },

    async getAdmins(ids, scope) {
      const { admins } = await channelDirectory.get(scope);
      return ids.map((id) => admins.get(id) ?? null);
    },

    async getChannels(ids, scope) {
      const { byId } = await channelDirectory.get(scope);
      return ids.map((id) => byId.get(id) ?? null);
    },

    async listChannels(scope) {
      return (await channelDirectory.get(scope)).channels;
    },

    isValidHint: (hint: unknown): hint is ResumeHint => isConversationPosition(hint),
    ...(live ? { live } : {}),
  };
  if (!writes) return source;
  return {
    ...source,
    writer: createCarrotWriter({
      sourceId,
      actions: writes.actions,
      write: createCarrotWrite(sourceId, config, runtime),
      get,
      // The write stands whatever happens to the read that shows it.
      readDetail: (id, scope) => getCarrotConversations(calls, [id], scope).then((rows) => rows[0] ?? null, () => null),
      readPart: (conversationId, partId, scope) => source.getPart(conversationId, partId, scope).catch(() => null),
    }),
  };
}

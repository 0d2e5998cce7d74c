import type { SourceClient, SourceRuntime } from '../adapter.js';
import { getIntercomConversations, isPosition, listIntercomConversations, MAX_PAGE, type ConversationCalls } from './conversations.js';
import { createDirectory } from './directory.js';
import { planIntercomFilter } from './filters.js';
import { createIntercomLive } from './live.js';
import { getIntercomPart, listIntercomParts } from './parts.js';
import { createIntercomCalls } from './request.js';
import type { IntercomConfig } from './schemas.js';
import { getIntercomUsers } from './users.js';
import { createIntercomWriter } from './writer.js';

/** One Intercom workspace (docs/providers/intercom.md). Writes and webhooks come with the write and live cores. */
export function createIntercomSource(sourceId: string, config: IntercomConfig, runtime: SourceRuntime): SourceClient {
  const calls = createIntercomCalls(sourceId, config, runtime.http);
  const directory = createDirectory(sourceId, calls, runtime.listCacheTtlMs ?? 60_000, runtime.now);
  const context: ConversationCalls = { sourceId, calls, directory };
  return {
    sourceId,
    provider: 'intercom',
    // A thread is read whole (up to 500 parts) in one call, however it is paged.
    pageSizes: { conversations: MAX_PAGE, parts: 100 },
    planFilter: (filter) => planIntercomFilter(filter),
    listConversations: (request, scope) => listIntercomConversations(context, request, scope),
    getConversations: (ids, scope) => getIntercomConversations(context, ids, scope),
    listParts: (request, scope) => listIntercomParts(context, request, scope),
    getPart: (conversationId, partId, scope) => getIntercomPart(context, conversationId, partId, scope),
    getUsers: (ids, scope) => getIntercomUsers(calls, sourceId, ids, scope),
    async getAdmins(ids, scope) {
      const admins = await directory.admins.get(scope);
      return ids.map((id) => admins.get(id) ?? null);
    },
    async getChannels(ids, scope) {
      const { byId } = await directory.teams.get(scope);
      return ids.map((id) => byId.get(id) ?? null);
    },
    listChannels: async (scope) => (await directory.teams.get(scope)).list,
    // The list rows name assignees by id only: their names come from the admin list.
    warmUp: (scope) => Promise.all([directory.teams.get(scope), directory.admins.get(scope)]),
    isValidHint: isPosition,
    live: createIntercomLive(config.webhook),
    writer: createIntercomWriter(context, runtime.now),
  };
}

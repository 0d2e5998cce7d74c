import type { ResumeHint, SourceClient, SourceRuntime } from '../adapter.js';
import { CONVERSATIONS_PAGE_SIZE, getReamazeConversation, isReamazeHint, listReamazeConversations, type ConversationReads } from './conversations.js';
import { createReamazeDirectory } from './directory.js';
import { planFilter } from './filters.js';
import { createMessagePages, listReamazeMessages } from './message-pages.js';
import { getPart, MESSAGES_PAGE_SIZE } from './parts.js';
import { createReamazeCalls } from './request.js';
import { DEFAULT_POLL_SECONDS, type ReamazeConfig } from './schemas.js';
import { getReamazeUser } from './users.js';
import { createReamazeWriter } from './writes.js';

export { CONVERSATIONS_PAGE_SIZE } from './conversations.js';

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

/**
 * A Re:amaze brand as a Parley source. Reads are GETs with HTTP Basic `email:token` in
 * the header (writes log in as their acting staff member, writes.ts); `runtime.http` is already bound to the brand's origin.
 */
export function createReamazeSource(
  sourceId: string,
  config: Pick<ReamazeConfig, 'email' | 'token'> & Partial<Pick<ReamazeConfig, 'pollSeconds'>>,
  runtime: SourceRuntime,
  options: ReamazeSourceOptions = {},
): SourceClient {
  const calls = createReamazeCalls(sourceId, config, runtime.http);
  const directory = createReamazeDirectory(sourceId, calls, options.cacheTtlMs ?? runtime.listCacheTtlMs ?? 60_000, runtime.now);
  const reads: ConversationReads = { sourceId, calls, maxStepsBack: options.maxStepsBack };

  return {
    sourceId,
    provider: 'reamaze',
    pageSizes: { conversations: CONVERSATIONS_PAGE_SIZE, parts: MESSAGES_PAGE_SIZE },
    planFilter,
    listConversations: (request, scope) => listReamazeConversations(reads, request, scope),
    getConversations: (ids, scope) => Promise.all(ids.map((id) => getReamazeConversation(reads, id, scope))),
    listParts: (request, scope) => listReamazeMessages(sourceId, calls, request, scope),
    // One part by id has no connection to report on: a part past a page's 30 has no id anyway.
    getPart: (conversationId, partId, scope) => getPart(sourceId, createMessagePages(calls, scope).fetch, conversationId, partId),
    getUsers: (ids, scope) => Promise.all(ids.map((id) => getReamazeUser(sourceId, calls, id, scope))),
    getAdmins: (ids, scope) => directory.admins(ids, scope),
    getChannels: (ids, scope) => directory.channels(ids, scope),
    listChannels: (scope) => directory.allChannels(scope),
    isValidHint: (hint: unknown): hint is ResumeHint => isReamazeHint(hint),
    live: { pollSeconds: config.pollSeconds ?? DEFAULT_POLL_SECONDS },
    writer: createReamazeWriter({ config, http: runtime.http, reads, directory, now: runtime.now }),
  };
}

import type { UpstreamClient } from '../../http/upstream-client.js';
import type { SourceWriter, WriteAction } from '../write-contract.js';
import { getChatwootConversations, type ConversationReads } from './conversations.js';
import { chatwootProvider } from './declaration.js';
import type { ChatwootConfig } from './schemas.js';
import { createChatwootWriteCalls } from './write-calls.js';
import { findReply, sendReply } from './write-reply.js';
import { assign, markRead, setStatus } from './write-state.js';
import { updateTags } from './write-tags.js';
import type { WriterDeps } from './writer-deps.js';

/**
 * One Chatwoot account's writes (docs/providers/chatwoot.md section 10): each action is
 * one POST, sent once, as the acting agent's token; the conversation is then read back
 * with the source's token for `detail`.
 */
export function createChatwootWriter(sourceId: string, config: ChatwootConfig, http: Pick<UpstreamClient, 'request'>, reads: ConversationReads): SourceWriter {
  const deps: WriterDeps = {
    writes: createChatwootWriteCalls(sourceId, config, http),
    reads,
    async detailAfter(conversationId, scope) {
      try {
        const [detail] = await getChatwootConversations(reads, [conversationId], scope);
        return detail ?? null;
      } catch {
        return null;
      }
    },
  };
  return {
    actions: new Set<WriteAction>(chatwootProvider.writes?.actions ?? []),
    reply: (request, actor, scope) => sendReply(deps, request, actor, scope),
    findReply: (request, actor, scope) => findReply(deps, request, actor, scope),
    setStatus: (conversationId, target, actor, scope) => setStatus(deps, conversationId, target, actor, scope),
    assign: (conversationId, adminId, actor, scope) => assign(deps, conversationId, adminId, actor, scope),
    updateTags: (conversationId, change, actor, scope) => updateTags(deps, conversationId, change, actor, scope),
    markRead: (conversationId, actor, scope) => markRead(deps, conversationId, actor, scope),
  };
}

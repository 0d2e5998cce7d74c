import type { SourceWriter, WriteAction } from '../write-contract.js';
import type { ConversationCalls } from './conversations.js';
import { intercomProvider } from './declaration.js';
import { createIntercomWriteCalls } from './write-calls.js';
import { findReply, sendReply } from './write-reply.js';
import { assign, markRead, setStatus } from './write-state.js';
import { updateTags } from './write-tags.js';
import type { WriterDeps } from './writer-deps.js';

/**
 * One Intercom workspace's writes (docs/providers/intercom.md section 10), acting as a
 * teammate (`admin_id`) with the source's token. Every write is one call, sent once; its
 * answer is the conversation, except for tags.
 */
export function createIntercomWriter(reads: ConversationCalls, now: () => number): SourceWriter {
  const deps: WriterDeps = { sourceId: reads.sourceId, reads, writes: createIntercomWriteCalls(reads.sourceId, reads.calls, reads.directory), now };
  return {
    actions: new Set<WriteAction>(intercomProvider.writes?.actions ?? []),
    reply: (request, actor, scope) => sendReply(deps, request, actor, scope),
    findReply: (request, actor, scope) => findReply(deps, request, actor, scope),
    setStatus: (conversationId, target, actor, scope) => setStatus(deps, conversationId, target, actor, scope),
    assign: (conversationId, adminId, actor, scope) => assign(deps, conversationId, adminId, actor, scope),
    updateTags: (conversationId, change, actor, scope) => updateTags(deps, conversationId, change, actor, scope),
    markRead: (conversationId, actor, scope) => markRead(deps, conversationId, actor, scope),
  };
}

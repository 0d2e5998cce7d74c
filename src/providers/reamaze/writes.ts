import type { UpstreamClient } from '../../http/upstream-client.js';
import { WriteRefused, type SourceWriter } from '../write-contract.js';
import type { ConversationReads } from './conversations.js';
import { REAMAZE_WRITE_ACTIONS } from './declaration.js';
import type { ReamazeDirectory } from './directory.js';
import type { ReamazeConfig } from './schemas.js';
import { createReamazeWriteCalls } from './write-calls.js';
import { assign, setStatus, updateTags, type ConversationWriteDeps } from './write-conversation.js';
import { findReply, postReply, type ReplyDeps } from './write-reply.js';

export interface ReamazeWriterOptions {
  config: Pick<ReamazeConfig, 'email' | 'token'>;
  http: Pick<UpstreamClient, 'request'>;
  reads: ConversationReads;
  directory: ReamazeDirectory;
  now: () => number;
}

/**
 * A brand's writes (docs/providers/reamaze.md section 10): replies and notes by message,
 * status, assignee and tags by conversation update, each one call sent once and acting
 * as the staff login of `actor`. Unassigning and marking read are not in Re:amaze's API.
 */
export function createReamazeWriter(options: ReamazeWriterOptions): SourceWriter {
  const { reads, directory, now } = options;
  const writes = createReamazeWriteCalls(reads.sourceId, options.config, options.http);
  const replies: ReplyDeps = { reads, writes, now };
  const updates: ConversationWriteDeps = { sourceId: reads.sourceId, calls: reads.calls, writes, directory };
  return {
    actions: new Set(REAMAZE_WRITE_ACTIONS),
    reply: (request, actor, scope) => postReply(replies, request, actor, scope),
    findReply: (request, _actor, scope) => findReply(reads, request, scope),
    setStatus: (slug, target, actor, scope) => setStatus(updates, slug, target, actor, scope),
    assign: (slug, adminId, actor, scope) => assign(updates, slug, adminId, actor, scope),
    updateTags: (slug, change, actor, scope) => updateTags(updates, slug, change, actor, scope),
    markRead: async () => {
      throw new WriteRefused('REJECTED', 'Re:amaze documents no way to mark a conversation read');
    },
  };
}

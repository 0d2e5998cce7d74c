import type { IntercomStore } from '../../../src/sandbox/intercom/index.js';
import type { FilterSpec } from './evaluate.js';
import type { Facts, SourceId, Status } from './facts.js';

/**
 * Intercom records -> facts (docs/providers/intercom.md sections 4, 8 and 9). Search lists
 * every conversation of the workspace. The last reply is the last comment a contact or a
 * teammate wrote (bot comments and notes are not replies). Search looks only at the first
 * message, word by word, so Parley cannot answer a text search here (searchable null).
 */
const STATUS: Record<string, Status> = { open: 'OPEN', snoozed: 'SNOOZED', closed: 'CLOSED' };

export function intercomFacts(store: IntercomStore, source: SourceId): Facts[] {
  return store.conversations.map((c) => {
    const replies = [c.source, ...c.parts].filter((p) => p.part_type === 'comment' && p.author.type !== 'bot');
    const last = replies[replies.length - 1];
    return {
      source,
      nativeId: c.id,
      status: STATUS[c.state]!,
      closed: c.state === 'closed',
      lastReplier: last === undefined ? null : last.author.type === 'admin' ? 'ADMIN' : 'USER',
      assigneeId: c.adminAssigneeId,
      tags: c.tagIds.map((id) => store.tag(id)!.name),
      channelId: c.teamAssigneeId,
      botManaged: c.ai_agent_participated,
      createdAt: c.created_at * 1000,
      lastUpdateMicros: c.updated_at * 1e6,
      searchable: null,
    };
  });
}

/** Intercom's search looks only at the first message, word by word: a text search is not answered (docs/providers/intercom.md section 4). */
export function intercomUnsupported(spec: FilterSpec): string[] {
  return spec.search !== undefined ? ['SEARCH'] : [];
}

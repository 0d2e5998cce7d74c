import type { ReamazeStore } from '../../../src/sandbox/reamaze/index.js';
import type { FilterSpec } from './evaluate.js';
import type { Facts, SourceId, Status } from './facts.js';

/** providers.md 4.2: 0,7 OPEN; 1 PENDING; 5 SNOOZED; 2,3,4,6,8,9 CLOSED. */
const STATUS: Record<number, Status> = { 0: 'OPEN', 1: 'PENDING', 2: 'CLOSED', 3: 'CLOSED', 4: 'CLOSED', 5: 'SNOOZED', 6: 'CLOSED', 7: 'OPEN', 8: 'CLOSED', 9: 'CLOSED' };

/**
 * Re:amaze records -> facts (providers.md 3.2, 3.3, 4.2, 4.3). With `filter=all` the list
 * holds every status, archived included. Times are ISO strings with milliseconds.
 */
export function reamazeFacts(store: ReamazeStore, source: SourceId): Facts[] {
  return store.conversations.map((c) => {
    // Regular messages (visibility 0) are replies; notes (1) and collision messages (2)
    // are not, nor are the AI agent's messages.
    const replies = c.messages.filter((m) => m.visibility === 0 && (m.user.kind === 'customer' || !m.user.isBot));
    const last = replies[replies.length - 1];
    const status = STATUS[c.status]!;
    return {
      source,
      nativeId: c.slug,
      status,
      closed: status === 'CLOSED',
      lastReplier: last === undefined ? null : last.user.kind === 'customer' ? 'USER' : 'ADMIN',
      // Staff have no id: the email is the key (providers.md 3.5), compared lowercased.
      assigneeId: c.assignee === null ? null : c.assignee.email.toLowerCase(),
      tags: [...c.tags],
      channelId: c.category.slug,
      // providers.md 4.3: 7 (AI agent assigned) and 8 (AI agent done).
      botManaged: c.status === 7 || c.status === 8,
      createdAt: c.createdAt,
      lastUpdateMicros: c.updatedAt * 1000,
      searchable: null,
    };
  });
}

/** Parts Re:amaze cannot answer, in FilterPart order: its list neither says who replied last nor searches (providers.md). */
export function reamazeUnsupported(spec: FilterSpec): string[] {
  return [...(spec.answered !== undefined ? ['ANSWERED'] : []), ...(spec.search !== undefined ? ['SEARCH'] : [])];
}

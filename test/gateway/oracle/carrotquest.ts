import type { CarrotquestStore } from '../../../src/sandbox/carrotquest/index.js';
import type { FilterSpec } from './evaluate.js';
import type { Facts, SourceId, Status } from './facts.js';

/**
 * Carrot quest records -> facts (providers.md 1.3, 1.6, 4.2; provider-assumptions.md).
 * The list shows only conversations with user replies (`replied`) that no assistant
 * manages (`assistant_type` null): those are the source's universe.
 */
export function carrotquestFacts(store: CarrotquestStore, source: SourceId, now: number): Facts[] {
  return store.conversations
    .filter((c) => c.replied && c.assistant_type === null)
    .map((c) => {
      const replies = c.parts.filter((p) => p.type === 'reply_user' || p.type === 'reply_admin');
      const last = replies[replies.length - 1];
      // providers.md 4.2: closed -> CLOSED; else a delay still running -> SNOOZED; else OPEN.
      const status: Status = c.closed ? 'CLOSED' : c.delayed_until !== null && c.delayed_until * 1000 > now ? 'SNOOZED' : 'OPEN';
      return {
        source,
        nativeId: c.id,
        status,
        closed: c.closed,
        lastReplier: last === undefined ? null : last.type === 'reply_user' ? 'USER' : 'ADMIN',
        assigneeId: c.assigneeId,
        tags: [...c.tags],
        channelId: c.channelId,
        botManaged: c.assistant_type !== null,
        createdAt: c.created * 1000,
        // `last_update` is float seconds with microseconds.
        lastUpdateMicros: Math.round(c.last_update * 1e6),
        searchable: null,
      };
    });
}

/**
 * Parts Carrot quest cannot answer, in FilterPart order: it has no message search, and it
 * lists assistant conversations one assistant type at a time (providers.md).
 */
export function carrotquestUnsupported(spec: FilterSpec): string[] {
  return [...(spec.botManaged === true ? ['BOT_MANAGED'] : []), ...(spec.search !== undefined ? ['SEARCH'] : [])];
}

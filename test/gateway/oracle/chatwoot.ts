import type { ChatwootStore } from '../../../src/sandbox/chatwoot/index.js';
import type { FilterSpec } from './evaluate.js';
import type { Facts, SourceId, Status } from './facts.js';

const STATUS: Record<string, Status> = { open: 'OPEN', pending: 'PENDING', snoozed: 'SNOOZED', resolved: 'CLOSED' };
const INCOMING = 0;
const OUTGOING = 1;

/**
 * Chatwoot records -> facts (providers.md 2.2, 2.3, 4.2). An administrator's token lists
 * every conversation of the account. Times are whole seconds on the wire
 * (`created_at`, `last_activity_at`), so the facts keep whole seconds too.
 */
export function chatwootFacts(store: ChatwootStore, source: SourceId): Facts[] {
  return store.conversations.map((c) => {
    const thread = store.messagesOf(c.displayId);
    // A reply is a customer's message or a person's public answer; notes (private),
    // activity rows and bot templates are not.
    const replies = thread.filter(
      (m) => m.messageType === INCOMING || (m.messageType === OUTGOING && !m.private && m.senderType === 'User'),
    );
    const last = replies[replies.length - 1];
    return {
      source,
      nativeId: String(c.displayId),
      status: STATUS[c.status]!,
      closed: c.status === 'resolved',
      lastReplier: last === undefined ? null : last.messageType === INCOMING ? 'USER' : 'ADMIN',
      // Agents and agent bots are two id spaces: the gateway keys bots as `bot:<id>`.
      assigneeId: c.assigneeAgentBotId !== null ? `bot:${c.assigneeAgentBotId}` : c.assigneeId === null ? null : String(c.assigneeId),
      tags: [...c.labels],
      channelId: String(c.inboxId),
      botManaged: c.assigneeAgentBotId !== null,
      createdAt: Math.floor(c.createdAt / 1000) * 1000,
      lastUpdateMicros: Math.floor(c.lastActivityAt / 1000) * 1_000_000,
      // `q` searches incoming and outgoing messages (private notes included), providers.md 2.2 step 7.
      searchable: thread
        .filter((m) => (m.messageType === INCOMING || m.messageType === OUTGOING) && m.content !== null)
        .map((m) => m.content!),
    };
  });
}

/** Chatwoot answers every part, natively or through Parley's local check. */
export function chatwootUnsupported(_spec: FilterSpec): string[] {
  return [];
}

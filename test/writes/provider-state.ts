import type { Provider, WriteHarness } from './harness.js';

/**
 * Provider-side state read straight from each simulator's store (never through Parley): the
 * messages of a conversation, its status, assignee and tags in the provider's own terms,
 * mapped here by hand to what a test compares.
 */

export interface StoredMessage {
  body: string;
  internal: boolean;
}

export function messagesAt(h: WriteHarness, provider: Provider, nativeId: string): StoredMessage[] {
  if (provider === 'carrotquest') {
    const conversation = h.sandbox.carrotquest.store.conversation(nativeId)!;
    return conversation.parts.filter((p) => p.type === 'reply_admin' || p.type === 'note').map((p) => ({ body: p.body, internal: p.type === 'note' }));
  }
  if (provider === 'chatwoot') {
    return h.sandbox.chatwoot.store.messagesOf(Number(nativeId)).map((m) => ({ body: m.content ?? '', internal: m.private }));
  }
  return h.sandbox.reamaze.store.conversation(nativeId)!.messages.map((m) => ({ body: m.body, internal: m.visibility === 1 }));
}

export interface StoredState {
  /** Parley's words for the provider's status, mapped by hand from the store. */
  status: 'OPEN' | 'PENDING' | 'SNOOZED' | 'CLOSED' | 'OTHER';
  assignee: string | null;
  tags: string[];
}

export function stateAt(h: WriteHarness, provider: Provider, nativeId: string): StoredState {
  if (provider === 'carrotquest') {
    const c = h.sandbox.carrotquest.store.conversation(nativeId)!;
    return { status: c.closed ? 'CLOSED' : 'OPEN', assignee: c.assigneeId, tags: [...c.tags].sort() };
  }
  if (provider === 'chatwoot') {
    const c = h.sandbox.chatwoot.store.conversation(Number(nativeId))!;
    const status = ({ open: 'OPEN', pending: 'PENDING', snoozed: 'SNOOZED', resolved: 'CLOSED' } as const)[c.status as 'open'] ?? 'OTHER';
    return { status, assignee: c.assigneeId === null ? null : String(c.assigneeId), tags: [...c.labels].sort() };
  }
  const c = h.sandbox.reamaze.store.conversation(nativeId)!;
  // 0 Open, 2 Done, 5 On Hold (providers.md section 3.3).
  const status = c.status === 0 ? 'OPEN' : c.status === 2 ? 'CLOSED' : c.status === 5 ? 'SNOOZED' : 'OTHER';
  return { status, assignee: c.assignee?.email ?? null, tags: [...c.tags].sort() };
}

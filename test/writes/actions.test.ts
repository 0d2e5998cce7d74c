import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ASSIGN, READ, REPLY, SOURCES, STATUS, TAGS, startWriteHarness, type Provider, type WriteHarness } from './harness.js';
import { stateAt } from './provider-state.js';

let h: WriteHarness;
beforeAll(async () => {
  h = await startWriteHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  for (const sim of [h.sandbox.carrotquest, h.sandbox.chatwoot, h.sandbox.reamaze]) sim.clearFaults();
  h.resetUpstream();
});

let counter = 0;
const key = () => `action-${(counter += 1)}`;

/** What each provider documents (providers-live-and-write.md B.1), written out by hand. */
const CAN: Record<Provider, { statuses: string[]; unassign: boolean; markRead: boolean }> = {
  carrotquest: { statuses: ['CLOSED'], unassign: true, markRead: false },
  chatwoot: { statuses: ['OPEN', 'PENDING', 'SNOOZED', 'CLOSED'], unassign: true, markRead: true },
  reamaze: { statuses: ['OPEN', 'SNOOZED', 'CLOSED'], unassign: false, markRead: false },
};

async function conversationAt(provider: Provider, index: number) {
  return (await h.conversations(SOURCES[provider], 20))[index]!;
}

async function someAdmin(provider: Provider, notNativeId: string | null) {
  const result = await h.query(`query($f: ConversationFilter) { conversations(first: 50, filter: $f) { edges { node { assignee { id nativeId } } } } }`, { f: { sources: [SOURCES[provider]] } });
  const admins = result.data.conversations.edges.map((e: any) => e.node.assignee).filter((a: any) => a && a.nativeId !== notNativeId);
  return admins[0] as { id: string; nativeId: string };
}

describe.each(Object.keys(CAN) as Provider[])('set-style writes on %s', (provider) => {
  const can = CAN[provider];

  it.each(['OPEN', 'PENDING', 'SNOOZED', 'CLOSED'])('setConversationStatus %s: the provider holds it, or UNSUPPORTED_BY_SOURCE with no write sent', async (status) => {
    const conversation = await conversationAt(provider, 6);
    const until = status === 'SNOOZED' ? new Date(Date.now() + 86_400_000).toISOString() : undefined;
    const result = await h.query(STATUS, { input: { conversationId: conversation.id, status, until, idempotencyKey: key() } });
    expect(result.errors).toBeUndefined();
    const payload = result.data.setConversationStatus;
    if (!can.statuses.includes(status)) {
      expect(payload).toMatchObject({ outcome: null, userErrors: [{ code: 'UNSUPPORTED_BY_SOURCE' }] });
      expect(h.writesSeen()[provider]).toEqual([]);
      return;
    }
    expect(payload.userErrors).toEqual([]);
    expect(['APPLIED', 'ALREADY_APPLIED']).toContain(payload.outcome);
    expect(payload.conversation.status).toBe(status);
    expect(stateAt(h, provider, conversation.nativeId).status).toBe(status);
  });

  it('assignConversation: the provider holds the new assignee and the payload shows it', async () => {
    const conversation = await conversationAt(provider, 7);
    const admin = await someAdmin(provider, stateAt(h, provider, conversation.nativeId).assignee);
    const result = await h.query(ASSIGN, { input: { conversationId: conversation.id, adminId: admin.id, idempotencyKey: key() } });
    expect(result.data.assignConversation).toMatchObject({ outcome: 'APPLIED', userErrors: [], conversation: { assignee: { id: admin.id } } });
    expect(stateAt(h, provider, conversation.nativeId).assignee).toBe(admin.nativeId);
  });

  it('assignConversation with null unassigns, or is UNSUPPORTED_BY_SOURCE', async () => {
    const conversation = await conversationAt(provider, 8);
    const admin = await someAdmin(provider, null);
    await h.query(ASSIGN, { input: { conversationId: conversation.id, adminId: admin.id, idempotencyKey: key() } });
    h.resetUpstream();
    const result = await h.query(ASSIGN, { input: { conversationId: conversation.id, adminId: null, idempotencyKey: key() } });
    if (!can.unassign) {
      expect(result.data.assignConversation.userErrors).toEqual([expect.objectContaining({ code: 'UNSUPPORTED_BY_SOURCE' })]);
      expect(h.writesSeen()[provider]).toEqual([]);
      expect(stateAt(h, provider, conversation.nativeId).assignee).toBe(admin.nativeId);
      return;
    }
    expect(result.data.assignConversation).toMatchObject({ outcome: 'APPLIED', conversation: { assignee: null } });
    expect(stateAt(h, provider, conversation.nativeId).assignee).toBeNull();
  });

  it('updateConversationTags adds and removes, keeping the other tags', async () => {
    const conversation = await conversationAt(provider, 9);
    const before = stateAt(h, provider, conversation.nativeId).tags;
    const added = await h.query(TAGS, { input: { conversationId: conversation.id, add: ['wt-vip', 'wt-billing'], idempotencyKey: key() } });
    expect(added.data.updateConversationTags).toMatchObject({ outcome: 'APPLIED', userErrors: [] });
    expect(stateAt(h, provider, conversation.nativeId).tags).toEqual([...new Set([...before, 'wt-vip', 'wt-billing'])].sort());
    const removed = await h.query(TAGS, { input: { conversationId: conversation.id, remove: ['wt-vip'], idempotencyKey: key() } });
    expect(removed.data.updateConversationTags.outcome).toBe('APPLIED');
    expect([...removed.data.updateConversationTags.conversation.tags].sort()).toEqual([...new Set([...before, 'wt-billing'])].sort());
    expect(stateAt(h, provider, conversation.nativeId).tags).toEqual([...new Set([...before, 'wt-billing'])].sort());
  });

  it('concurrent tag additions on one conversation lose no tag', async () => {
    const conversation = await conversationAt(provider, 10);
    const results = await Promise.all(['t-one', 't-two', 't-three'].map((tag) => h.query(TAGS, { input: { conversationId: conversation.id, add: [tag], idempotencyKey: key() } })));
    for (const result of results) expect(result.data.updateConversationTags.userErrors).toEqual([]);
    expect(stateAt(h, provider, conversation.nativeId).tags).toEqual(expect.arrayContaining(['t-one', 't-two', 't-three']));
  });

  it('markConversationRead, or UNSUPPORTED_BY_SOURCE with no write sent', async () => {
    const conversation = await conversationAt(provider, 11);
    const result = await h.query(READ, { input: { conversationId: conversation.id, idempotencyKey: key() } });
    if (!can.markRead) {
      expect(result.data.markConversationRead.userErrors).toEqual([expect.objectContaining({ code: 'UNSUPPORTED_BY_SOURCE' })]);
      expect(h.writesSeen()[provider]).toEqual([]);
      return;
    }
    expect(result.data.markConversationRead).toMatchObject({ userErrors: [], conversation: { unreadCount: 0 } });
    expect(['APPLIED', 'ALREADY_APPLIED']).toContain(result.data.markConversationRead.outcome);
  });

  it('a reply with close: true leaves the conversation closed and reports both', async () => {
    const conversation = await conversationAt(provider, 12);
    const result = await h.query(REPLY, { input: { conversationId: conversation.id, body: 'Closing this now', close: true, idempotencyKey: key() } });
    expect(result.data.replyToConversation).toMatchObject({ outcome: 'APPLIED', userErrors: [], conversation: { status: 'CLOSED' } });
    expect(['APPLIED', 'ALREADY_APPLIED']).toContain(result.data.replyToConversation.closeOutcome);
    expect(stateAt(h, provider, conversation.nativeId).status).toBe('CLOSED');
  });

  it('a status write whose answer is lost after commit is APPLIED by reading the conversation back', async () => {
    const open = await h.conversations(SOURCES[provider], 20, { status: ['OPEN'] });
    const conversation = open[open.length - 1]!;
    h.sandbox[provider].addFault({ kind: 'error', status: 502, afterCommit: true, count: 1, method: provider === 'reamaze' ? 'PUT' : 'POST' });
    const result = await h.query(STATUS, { input: { conversationId: conversation.id, status: 'CLOSED', idempotencyKey: key() } });
    expect(result.data.setConversationStatus).toMatchObject({ outcome: 'APPLIED', userErrors: [], conversation: { status: 'CLOSED' } });
    expect(stateAt(h, provider, conversation.nativeId).status).toBe('CLOSED');
  });
});

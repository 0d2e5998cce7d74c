import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WriteAction } from '../../src/providers/write-actions.js';
import { ASSIGN, PROVIDERS, READ, REPLY, SOURCES, STATUS, TAGS, startWriteHarness, type Provider, type WriteHarness } from './harness.js';
import { declaredActions, stateAt as stateIn, testsOf } from './provider-state/index.js';

let h: WriteHarness;
beforeAll(async () => {
  h = await startWriteHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.clearFaults();
  h.resetUpstream();
});

let counter = 0;
const key = () => `action-${(counter += 1)}`;

const stateAt = (provider: Provider, nativeId: string) => stateIn(h.sandbox, provider, nativeId);
/** The action each status needs. */
const STATUS_ACTION: Record<string, WriteAction> = { OPEN: 'OPEN', PENDING: 'PENDING', SNOOZED: 'SNOOZE', CLOSED: 'CLOSE' };

/** A refusal of an action the source does not declare: no outcome, UNSUPPORTED_BY_SOURCE, nothing sent. */
function expectRefused(provider: Provider, payload: { outcome: unknown; userErrors: unknown }) {
  expect(payload).toMatchObject({ outcome: null, userErrors: [expect.objectContaining({ code: 'UNSUPPORTED_BY_SOURCE' })] });
  expect(h.writesSeen()[provider]).toEqual([]);
}

async function conversationAt(provider: Provider, index: number) {
  return (await h.conversations(SOURCES[provider], 20))[index]!;
}

async function someAdmin(provider: Provider, notNativeId: string | null) {
  const result = await h.query(`query($f: ConversationFilter) { conversations(first: 50, filter: $f) { edges { node { assignee { id nativeId } } } } }`, { f: { sources: [SOURCES[provider]] } });
  const admins = result.data.conversations.edges.map((e: any) => e.node.assignee).filter((a: any) => a && a.nativeId !== notNativeId);
  return admins[0] as { id: string; nativeId: string };
}

// Each provider's declaration says what it can do (permissions.test.ts holds it to what the provider documents).
describe.each(PROVIDERS)('set-style writes on %s', (provider) => {
  const can = (...actions: WriteAction[]) => actions.every((action) => declaredActions(provider).includes(action));

  it.each(['OPEN', 'PENDING', 'SNOOZED', 'CLOSED'])('setConversationStatus %s: the provider holds it, or UNSUPPORTED_BY_SOURCE with no write sent', async (status) => {
    const conversation = await conversationAt(provider, 6);
    const until = status === 'SNOOZED' ? new Date(Date.now() + 86_400_000).toISOString() : undefined;
    const result = await h.query(STATUS, { input: { conversationId: conversation.id, status, until, idempotencyKey: key() } });
    expect(result.errors).toBeUndefined();
    const payload = result.data.setConversationStatus;
    if (!can(STATUS_ACTION[status]!)) {
      expect(payload).toMatchObject({ outcome: null, userErrors: [{ code: 'UNSUPPORTED_BY_SOURCE' }] });
      expect(h.writesSeen()[provider]).toEqual([]);
      return;
    }
    expect(payload.userErrors).toEqual([]);
    expect(['APPLIED', 'ALREADY_APPLIED']).toContain(payload.outcome);
    expect(payload.conversation.status).toBe(status);
    expect(stateAt(provider, conversation.nativeId).status).toBe(status);
  });

  it('assignConversation: the provider holds the new assignee and the payload shows it', async () => {
    const conversation = await conversationAt(provider, 7);
    const admin = await someAdmin(provider, stateAt(provider, conversation.nativeId).assignee);
    h.resetUpstream();
    const result = await h.query(ASSIGN, { input: { conversationId: conversation.id, adminId: admin.id, idempotencyKey: key() } });
    if (!can('ASSIGN')) return expectRefused(provider, result.data.assignConversation);
    expect(result.data.assignConversation).toMatchObject({ outcome: 'APPLIED', userErrors: [], conversation: { assignee: { id: admin.id } } });
    expect(stateAt(provider, conversation.nativeId).assignee).toBe(admin.nativeId);
  });

  it('assignConversation with null unassigns, or is UNSUPPORTED_BY_SOURCE', async () => {
    const conversation = await conversationAt(provider, 8);
    const admin = await someAdmin(provider, null);
    await h.query(ASSIGN, { input: { conversationId: conversation.id, adminId: admin.id, idempotencyKey: key() } });
    h.resetUpstream();
    const result = await h.query(ASSIGN, { input: { conversationId: conversation.id, adminId: null, idempotencyKey: key() } });
    if (!can('ASSIGN')) return expectRefused(provider, result.data.assignConversation);
    if (!can('UNASSIGN')) {
      expect(result.data.assignConversation.userErrors).toEqual([expect.objectContaining({ code: 'UNSUPPORTED_BY_SOURCE' })]);
      expect(h.writesSeen()[provider]).toEqual([]);
      expect(stateAt(provider, conversation.nativeId).assignee).toBe(admin.nativeId);
      return;
    }
    expect(result.data.assignConversation).toMatchObject({ outcome: 'APPLIED', conversation: { assignee: null } });
    expect(stateAt(provider, conversation.nativeId).assignee).toBeNull();
  });

  it('updateConversationTags adds and removes, keeping the other tags', async () => {
    const conversation = await conversationAt(provider, 9);
    const before = stateAt(provider, conversation.nativeId).tags;
    const added = await h.query(TAGS, { input: { conversationId: conversation.id, add: ['wt-vip', 'wt-billing'], idempotencyKey: key() } });
    if (!can('TAG')) return expectRefused(provider, added.data.updateConversationTags);
    expect(added.data.updateConversationTags).toMatchObject({ outcome: 'APPLIED', userErrors: [] });
    expect(stateAt(provider, conversation.nativeId).tags).toEqual([...new Set([...before, 'wt-vip', 'wt-billing'])].sort());
    h.resetUpstream();
    const removed = await h.query(TAGS, { input: { conversationId: conversation.id, remove: ['wt-vip'], idempotencyKey: key() } });
    if (!can('UNTAG')) return expectRefused(provider, removed.data.updateConversationTags);
    expect(removed.data.updateConversationTags.outcome).toBe('APPLIED');
    expect([...removed.data.updateConversationTags.conversation.tags].sort()).toEqual([...new Set([...before, 'wt-billing'])].sort());
    expect(stateAt(provider, conversation.nativeId).tags).toEqual([...new Set([...before, 'wt-billing'])].sort());
  });

  it('concurrent tag additions on one conversation lose no tag', async () => {
    const conversation = await conversationAt(provider, 10);
    const results = await Promise.all(['t-one', 't-two', 't-three'].map((tag) => h.query(TAGS, { input: { conversationId: conversation.id, add: [tag], idempotencyKey: key() } })));
    if (!can('TAG')) return results.forEach((result) => expectRefused(provider, result.data.updateConversationTags));
    for (const result of results) expect(result.data.updateConversationTags.userErrors).toEqual([]);
    expect(stateAt(provider, conversation.nativeId).tags).toEqual(expect.arrayContaining(['t-one', 't-two', 't-three']));
  });

  it('markConversationRead, or UNSUPPORTED_BY_SOURCE with no write sent', async () => {
    const conversation = await conversationAt(provider, 11);
    const result = await h.query(READ, { input: { conversationId: conversation.id, idempotencyKey: key() } });
    if (!can('MARK_READ')) {
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
    if (!can('REPLY', 'CLOSE')) return expectRefused(provider, result.data.replyToConversation);
    expect(result.data.replyToConversation).toMatchObject({ outcome: 'APPLIED', userErrors: [], conversation: { status: 'CLOSED' } });
    expect(['APPLIED', 'ALREADY_APPLIED']).toContain(result.data.replyToConversation.closeOutcome);
    expect(stateAt(provider, conversation.nativeId).status).toBe('CLOSED');
  });

  it('a status write whose answer is lost after commit is APPLIED by reading the conversation back', async () => {
    const open = await h.conversations(SOURCES[provider], 20, { status: ['OPEN'] });
    const conversation = open[open.length - 1]!;
    h.sandbox[provider].addFault({ kind: 'error', status: 502, afterCommit: true, count: 1, ...testsOf(provider).aims.status });
    h.resetUpstream();
    const result = await h.query(STATUS, { input: { conversationId: conversation.id, status: 'CLOSED', idempotencyKey: key() } });
    if (!can('CLOSE')) return expectRefused(provider, result.data.setConversationStatus);
    expect(result.data.setConversationStatus).toMatchObject({ outcome: 'APPLIED', userErrors: [], conversation: { status: 'CLOSED' } });
    expect(stateAt(provider, conversation.nativeId).status).toBe('CLOSED');
  });
});

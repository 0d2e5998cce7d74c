import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROVIDERS, REPLY, SOURCES, startWriteHarness, type Provider, type WriteHarness } from './harness.js';
import { declaredActions, messagesAt, testsOf } from './provider-state/index.js';

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
const fresh = (label: string) => `${label}-${Date.now()}-${(counter += 1)}`;

async function target(provider: Provider, index = 0) {
  const list = await h.conversations(SOURCES[provider], 10);
  return list[index]!;
}

const messagesWith = (provider: Provider, nativeId: string, body: string) => messagesAt(h.sandbox, provider, nativeId).filter((m) => m.body.includes(body));

describe.each(PROVIDERS)('replyToConversation on %s', (provider) => {
  const aims = testsOf(provider).aims;
  if (!declaredActions(provider).includes('REPLY')) {
    it('is UNSUPPORTED_BY_SOURCE, with no write sent', async () => {
      const conversation = await target(provider, 0);
      h.resetUpstream();
      const result = await h.query(REPLY, { input: { conversationId: conversation.id, body: fresh('Not here'), idempotencyKey: fresh('k') } });
      expect(result.data.replyToConversation).toMatchObject({ outcome: null, userErrors: [{ code: 'UNSUPPORTED_BY_SOURCE' }] });
      expect(h.writesSeen()[provider]).toEqual([]);
    });
    return;
  }

  it('posts one message the provider holds, and answers with the mapped part and conversation', async () => {
    const conversation = await target(provider, 0);
    const body = fresh('Thanks, we are on it');
    const before = messagesWith(provider, conversation.nativeId, body).length;
    const result = await h.query(REPLY, { input: { conversationId: conversation.id, body, idempotencyKey: fresh('k') } });
    expect(result.errors).toBeUndefined();
    const payload = result.data.replyToConversation;
    expect(payload).toMatchObject({ outcome: 'APPLIED', userErrors: [], conversation: { id: conversation.id } });
    expect(payload.part).toMatchObject({ kind: 'ADMIN_REPLY', internal: false });
    expect(payload.part.body).toContain(body);
    expect(before).toBe(0);
    expect(messagesWith(provider, conversation.nativeId, body)).toEqual([expect.objectContaining({ internal: false })]);
  });

  it('replays a repeated idempotencyKey without a second post', async () => {
    const conversation = await target(provider, 1);
    const input = { conversationId: conversation.id, body: fresh('Once only'), idempotencyKey: fresh('k') };
    const first = await h.query(REPLY, { input });
    h.resetUpstream();
    const again = await h.query(REPLY, { input });
    expect(first.data.replyToConversation.outcome).toBe('APPLIED');
    expect(again.data.replyToConversation).toMatchObject({ outcome: 'ALREADY_APPLIED', userErrors: [] });
    expect(h.writesSeen()[provider]).toEqual([]);
    expect(messagesWith(provider, conversation.nativeId, input.body)).toHaveLength(1);
  });

  it('refuses the same key with another body, sending nothing', async () => {
    const conversation = await target(provider, 1);
    const key = fresh('k');
    await h.query(REPLY, { input: { conversationId: conversation.id, body: fresh('first'), idempotencyKey: key } });
    h.resetUpstream();
    const other = await h.query(REPLY, { input: { conversationId: conversation.id, body: fresh('second'), idempotencyKey: key } });
    expect(other.data.replyToConversation).toMatchObject({ outcome: null, userErrors: [{ code: 'IDEMPOTENCY_KEY_REUSED', field: ['idempotencyKey'] }] });
    expect(h.writesSeen()[provider]).toEqual([]);
  });

  it('a note is internal at the provider', async () => {
    const conversation = await target(provider, 2);
    const body = fresh('Customer is on the premium plan');
    const result = await h.query(REPLY, { input: { conversationId: conversation.id, body, internal: true, idempotencyKey: fresh('k') } });
    expect(result.data.replyToConversation).toMatchObject({ outcome: 'APPLIED', part: { kind: 'NOTE', internal: true } });
    expect(messagesWith(provider, conversation.nativeId, body)).toEqual([expect.objectContaining({ internal: true })]);
  });

  it('an answer lost after commit: exactly one message, APPLIED through the read-back', async () => {
    const conversation = await target(provider, 3);
    const body = fresh('Lost answer');
    const sim = h.sandbox[provider];
    sim.addFault({ kind: 'error', status: 502, ...aims.reply, afterCommit: true, count: 1 });
    const result = await h.query(REPLY, { input: { conversationId: conversation.id, body, idempotencyKey: fresh('k') } });
    expect(result.data.replyToConversation).toMatchObject({ outcome: 'APPLIED', userErrors: [] });
    expect(messagesWith(provider, conversation.nativeId, body)).toHaveLength(1);
  });

  it('a reset after commit: exactly one message whatever the first answer, and the next call is ALREADY_APPLIED', async () => {
    const conversation = await target(provider, 3);
    const input = { conversationId: conversation.id, body: fresh('Reset answer'), idempotencyKey: fresh('k') };
    h.sandbox[provider].addFault({ kind: 'reset', ...aims.reply, afterCommit: true, count: 1 });
    const first = await h.query(REPLY, { input });
    expect(['APPLIED', 'UNCERTAIN']).toContain(first.data.replyToConversation.outcome);
    const again = await h.query(REPLY, { input });
    expect(again.data.replyToConversation.outcome).toBe('ALREADY_APPLIED');
    expect(messagesWith(provider, conversation.nativeId, input.body)).toHaveLength(1);
  });

  it('a hang after commit times out, and the read-back finds the one message: APPLIED', async () => {
    const conversation = await target(provider, 3);
    const body = fresh('Hung answer');
    h.sandbox[provider].addFault({ kind: 'hang', ...aims.reply, afterCommit: true, count: 1 });
    const result = await h.query(REPLY, { input: { conversationId: conversation.id, body, idempotencyKey: fresh('k') } });
    expect(result.data.replyToConversation).toMatchObject({ outcome: 'APPLIED', userErrors: [] });
    expect(messagesWith(provider, conversation.nativeId, body)).toHaveLength(1);
  });

  it('a failure before commit: UNCERTAIN, then after the settle window the next call posts exactly once', async () => {
    const conversation = await target(provider, 4);
    const input = { conversationId: conversation.id, body: fresh('Never arrived'), idempotencyKey: fresh('k') };
    h.sandbox[provider].addFault({ kind: 'error', status: 503, ...aims.reply, count: 1 });
    const first = await h.query(REPLY, { input });
    expect(first.data.replyToConversation).toMatchObject({ outcome: 'UNCERTAIN', userErrors: [{ code: 'OUTCOME_UNKNOWN' }] });
    expect(messagesWith(provider, conversation.nativeId, input.body)).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const again = await h.query(REPLY, { input });
    expect(again.data.replyToConversation).toMatchObject({ outcome: 'APPLIED', userErrors: [] });
    const third = await h.query(REPLY, { input });
    expect(third.data.replyToConversation.outcome).toBe('ALREADY_APPLIED');
    expect(messagesWith(provider, conversation.nativeId, input.body)).toHaveLength(1);
  });

  it('an uncertain reply whose read-back also failed is found by the next call, never posted twice', async () => {
    const conversation = await target(provider, 4);
    const input = { conversationId: conversation.id, body: fresh('Found later'), idempotencyKey: fresh('k') };
    const sim = h.sandbox[provider];
    sim.addFault({ kind: 'error', status: 502, ...aims.reply, afterCommit: true, count: 1 });
    for (const aim of aims.reads) sim.addFault({ kind: 'error', status: 503, ...aim, rate: 1 });
    const first = await h.query(REPLY, { input });
    sim.clearFaults();
    expect(first.data.replyToConversation).toMatchObject({ outcome: 'UNCERTAIN', userErrors: [{ code: 'OUTCOME_UNKNOWN' }] });
    // Past the settle window: only a read-back that finds nothing could send again.
    await new Promise((resolve) => setTimeout(resolve, 80));
    const again = await h.query(REPLY, { input });
    expect(again.data.replyToConversation).toMatchObject({ outcome: 'ALREADY_APPLIED', userErrors: [] });
    expect(messagesWith(provider, conversation.nativeId, input.body)).toHaveLength(1);
  });

  it('concurrent duplicates post exactly one message', async () => {
    const conversation = await target(provider, 5);
    const input = { conversationId: conversation.id, body: fresh('Concurrent'), idempotencyKey: fresh('k') };
    const results = await Promise.all(Array.from({ length: 4 }, () => h.query(REPLY, { input })));
    const outcomes = results.map((r) => r.data.replyToConversation.outcome).sort();
    expect(outcomes).toEqual(['ALREADY_APPLIED', 'ALREADY_APPLIED', 'ALREADY_APPLIED', 'APPLIED']);
    expect(messagesWith(provider, conversation.nativeId, input.body)).toHaveLength(1);
  });
});

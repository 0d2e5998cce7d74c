import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ASSIGN, PROVIDERS, REPLY, SOURCES, STATUS, TAGS, startWriteHarness, type WriteHarness } from './harness.js';
import type { SandboxSourceId } from '../../src/sandbox/registry.js';
import { declaredActions, PROVIDER_OF, testsOf } from './provider-state/index.js';

const WRITER = 'writer-key-0123456789abcdef';
const READER = 'reader-key-0123456789abcdef';
const CQ_ONLY = 'cq-only-key-0123456789abcdef';
const NO_CW_IDENTITY = 'no-cw-identity-0123456789abcdef';

const globalId = (type: string, key: string) => Buffer.from(`${type}:${key}`).toString('base64');
/** Every sandbox source, in registry order. */
const ALL = PROVIDERS.map((provider) => SOURCES[provider]);

let h: WriteHarness;
beforeAll(async () => {
  h = await startWriteHarness({
    config: (actAs) => ({
      apiKeys: [
        { key: WRITER, sources: ALL, write: true, actAs },
        { key: READER, sources: ALL, actAs },
        { key: CQ_ONLY, sources: ['cq'], write: true, actAs: { cq: actAs.cq } },
        { key: NO_CW_IDENTITY, sources: ['cq', 'cw'], write: true, actAs: { cq: actAs.cq } },
      ],
    }),
  });
});
afterAll(() => h.close());
beforeEach(() => h.resetUpstream());

const noWrites = () => expect(h.writesSeen()).toEqual(Object.fromEntries(PROVIDERS.map((provider) => [provider, []])));

/** The newest conversation of every source, by source id. */
async function ids(): Promise<Record<SandboxSourceId, { id: string; nativeId: string }>> {
  const first = async (sourceId: string) => {
    const result = await h.queryAs(WRITER, `query($f: ConversationFilter) { conversations(first: 3, filter: $f) { edges { node { id nativeId } } } }`, { f: { sources: [sourceId] } });
    return result.data.conversations.edges[0].node as { id: string; nativeId: string };
  };
  const newest = await Promise.all(ALL.map(first));
  h.resetUpstream();
  return Object.fromEntries(ALL.map((sourceId, index) => [sourceId, newest[index]!])) as Record<SandboxSourceId, { id: string; nativeId: string }>;
}

describe('who may write', () => {
  it('a key without `write` gets FORBIDDEN and no provider receives a write', async () => {
    const newest = await ids();
    const { cq } = newest;
    expect(Object.keys(newest)).toEqual(ALL);
    for (const conversation of Object.values(newest)) {
      const result = await h.queryAs(READER, REPLY, { input: { conversationId: conversation.id, body: 'hello', idempotencyKey: 'r-1' } });
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(result.data).toBeNull();
    }
    const tags = await h.queryAs(READER, TAGS, { input: { conversationId: cq.id, add: ['x'], idempotencyKey: 'r-2' } });
    expect(tags.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    noWrites();
    expect(Object.values(h.upstream()).flat()).toEqual([]);
  });

  it('a conversation of a source the key may not read is NOT_FOUND, exactly like one that does not exist', async () => {
    const { cw } = await ids();
    const hidden = await h.queryAs(CQ_ONLY, REPLY, { input: { conversationId: cw.id, body: 'hello', idempotencyKey: 'n-1' } });
    const missing = await h.queryAs(CQ_ONLY, REPLY, { input: { conversationId: globalId('Conversation', 'cq:1'), body: 'hello', idempotencyKey: 'n-2' } });
    const unknownSource = await h.queryAs(CQ_ONLY, REPLY, { input: { conversationId: globalId('Conversation', 'nope:1'), body: 'hello', idempotencyKey: 'n-3' } });
    expect(hidden.data.replyToConversation).toEqual({ outcome: null, closeOutcome: null, part: null, conversation: null, userErrors: [{ code: 'NOT_FOUND', message: 'no such conversation', field: ['conversationId'] }] });
    expect(unknownSource.data).toEqual(hidden.data);
    expect(missing.data.replyToConversation.userErrors).toEqual(hidden.data.replyToConversation.userErrors);
    expect(h.writesSeen().chatwoot).toEqual([]);
  });

  it('a source the key has no identity for is UNSUPPORTED_BY_SOURCE, with no write', async () => {
    const { cw } = await ids();
    const result = await h.queryAs(NO_CW_IDENTITY, STATUS, { input: { conversationId: cw.id, status: 'CLOSED', idempotencyKey: 'u-1' } });
    expect(result.data.setConversationStatus.userErrors).toEqual([expect.objectContaining({ code: 'UNSUPPORTED_BY_SOURCE' })]);
    noWrites();
  });

  it('an admin of another source is ADMIN_OF_ANOTHER_SOURCE, with no write', async () => {
    const { cq, cw } = await ids();
    const result = await h.queryAs(WRITER, ASSIGN, { input: { conversationId: cq.id, adminId: globalId('Admin', `cw:1`), idempotencyKey: 'a-1' } });
    expect(result.data.assignConversation.userErrors).toEqual([{ code: 'ADMIN_OF_ANOTHER_SOURCE', message: expect.any(String), field: ['adminId'] }]);
    void cw;
    noWrites();
  });
});

describe('capabilities', () => {
  const QUERY = `{ sources { id capabilities { actions writable } } conversations(first: 30) { edges { node { source capabilities } } } }`;
  // What each provider documents, written by hand in its test module; a provider whose adapter declares no writes yet (is read-only) lists none.
  const writes = (sourceId: string) => declaredActions(PROVIDER_OF[sourceId]!).length > 0;
  const ACTIONS: Record<string, readonly string[]> = Object.fromEntries(ALL.map((id) => [id, writes(id) ? testsOf(PROVIDER_OF[id]!).documentedActions : []]));

  it('lists what each source can do, and whether this key may write there', async () => {
    expect(ALL.filter(writes)).toEqual(expect.arrayContaining(['cq', 'cw', 'rz']));
    const writer = await h.queryAs(WRITER, QUERY);
    expect(writer.data.sources).toEqual(ALL.map((id) => ({ id, capabilities: { actions: ACTIONS[id], writable: writes(id) } })));
    const sourcesSeen = new Set(writer.data.conversations.edges.map((edge: any) => edge.node.source));
    expect([...sourcesSeen].sort()).toEqual([...ALL].sort());
    for (const edge of writer.data.conversations.edges) expect(edge.node.capabilities).toEqual(ACTIONS[edge.node.source]);

    const partial = await h.queryAs(NO_CW_IDENTITY, QUERY);
    expect(partial.data.sources.map((s: any) => [s.id, s.capabilities.writable])).toEqual([['cq', true], ['cw', false]]);
    for (const edge of partial.data.conversations.edges) expect(edge.node.capabilities).toEqual(edge.node.source === 'cq' ? ACTIONS.cq : []);

    const reader = await h.queryAs(READER, QUERY);
    expect(reader.data.sources.map((s: any) => s.capabilities.writable)).toEqual(ALL.map(() => false));
    expect(reader.data.sources.map((s: any) => s.capabilities.actions)).toEqual(ALL.map((id) => ACTIONS[id]));
    for (const edge of reader.data.conversations.edges) expect(edge.node.capabilities).toEqual([]);
  });
});

describe('input limits', () => {
  it.each([
    ['a body past limits.replyChars', REPLY, { body: 'x'.repeat(20_001) }, ['body']],
    ['a blank body', REPLY, { body: '   ' }, ['body']],
    ['11 attachments', REPLY, { body: 'hi', attachmentUrls: Array.from({ length: 11 }, (_, i) => `https://example.com/${i}`) }, ['attachmentUrls']],
    ['an http attachment', REPLY, { body: 'hi', attachmentUrls: ['http://example.com/a.png'] }, ['attachmentUrls', '0']],
    ['a tag of 256 characters', TAGS, { add: ['t'.repeat(256)] }, ['add', '0']],
    ['51 tags', TAGS, { remove: Array.from({ length: 51 }, (_, i) => `t${i}`) }, ['remove']],
    ['no tag at all', TAGS, {}, ['add']],
    ['a tag added and removed', TAGS, { add: ['a'], remove: ['a'] }, ['remove']],
    ['an idempotency key of 201 characters', TAGS, { add: ['a'], idempotencyKey: 'k'.repeat(201) }, ['idempotencyKey']],
    ['an empty idempotency key', TAGS, { add: ['a'], idempotencyKey: '' }, ['idempotencyKey']],
    ['`until` without SNOOZED', STATUS, { status: 'CLOSED', until: '2100-01-01T00:00:00Z' }, ['until']],
  ])('%s is INVALID_INPUT naming the field, and nothing is called upstream', async (_name, mutation, input, field) => {
    const { cq } = await ids();
    const result = await h.queryAs(WRITER, mutation, { input: { conversationId: cq.id, idempotencyKey: 'limits-1', ...input } });
    const payload = Object.values(result.data as Record<string, any>)[0];
    expect(payload.userErrors).toContainEqual(expect.objectContaining({ code: 'INVALID_INPUT', field }));
    expect(payload.outcome).toBeNull();
    expect(Object.values(h.upstream()).flat()).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SOURCE_IDS, startHarness, type Harness } from './harness.js';

/**
 * A `parts(after:)` cursor is bound to its conversation but not signed: a client can write
 * one that names another conversation's part, or no part at all. Where the part id says
 * which conversation it belongs to (Re:amaze: `<slug>#<index>`), naming another one is a
 * BAD_USER_INPUT error; an id no provider could have written is one on every provider.
 * Either is refused before any upstream call.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ conversations: 20 });
});
afterAll(() => h.close());

const PARTS = /* GraphQL */ `
  query Parts($id: ID!, $after: String) {
    node(id: $id) {
      ... on Conversation { nativeId parts(first: 3, after: $after) { edges { cursor node { nativeId } } } }
    }
  }
`;

interface Listed {
  id: string;
  nativeId: string;
}

async function twoConversations(source: string): Promise<[Listed, Listed]> {
  const result = await h.query(`query($f: ConversationFilter) { conversations(first: 2, filter: $f) { edges { node { id nativeId } } } }`, {
    f: { sources: [source] },
  });
  const nodes = result.data.conversations.edges.map((e: { node: Listed }) => e.node);
  expect(nodes).toHaveLength(2);
  return nodes as [Listed, Listed];
}

/** The cursor a client could write by hand: the conversation it claims, and a part id. */
const cursorOf = (conversationId: string, partId: string) => Buffer.from(JSON.stringify([conversationId, partId])).toString('base64url');

/** Upstream calls that read a thread (`node(id)` itself reads the conversation once). */
const threadCalls = () =>
  Object.values(h.upstream())
    .flat()
    .filter((call) => /\/(parts|messages)\b/.test(call));

describe('parts(after:) with a cursor naming a part it cannot be', () => {
  it('on Re:amaze, a part of another conversation is BAD_USER_INPUT without an upstream call', async () => {
    const [a, b] = await twoConversations('rz');
    h.resetUpstream();
    const own = await h.query(PARTS, { id: b.id });
    // The filter below does see a thread read.
    expect(threadCalls()).toHaveLength(1);
    const foreignPart: string = own.data.node.parts.edges[0].node.nativeId;
    expect(foreignPart.startsWith(`${b.nativeId}#`)).toBe(true);

    h.resetUpstream();
    const result = await h.query(PARTS, { id: a.id, after: cursorOf(a.nativeId, foreignPart) });
    expect(result.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['BAD_USER_INPUT', ['node', 'parts']]]);
    expect(result.data?.node).toEqual({ nativeId: a.nativeId, parts: null });
    expect(threadCalls()).toEqual([]);
  });

  it.each(ALL_SOURCE_IDS)('on %s, a part id no provider writes is BAD_USER_INPUT without an upstream call', async (source) => {
    const [a] = await twoConversations(source);
    // What `node(id)` costs without `parts`: the refused cursor may add nothing to it (Intercom reads its thread with the conversation).
    h.resetUpstream();
    await h.query(`query($id: ID!) { node(id: $id) { ... on Conversation { nativeId } } }`, { id: a.id });
    const nodeCalls = Object.values(h.upstream()).flat();
    for (const partId of ['not-a-part', '', '../1', `${a.nativeId}#x`]) {
      h.resetUpstream();
      const result = await h.query(PARTS, { id: a.id, after: cursorOf(a.nativeId, partId) });
      expect(result.errors?.map((e) => e.extensions?.code), `after part ${JSON.stringify(partId)}`).toEqual(['BAD_USER_INPUT']);
      expect(threadCalls()).toEqual([]);
      expect(Object.values(h.upstream()).flat()).toEqual(nodeCalls);
    }
  });

  it.each(['cq', 'cw'])('on %s, where part ids are account-wide numbers, another thread\'s id pages this thread only', async (source) => {
    const [a, b] = await twoConversations(source);
    const theirs = await h.query(PARTS, { id: b.id });
    const foreignPart: string = theirs.data.node.parts.edges[0].node.nativeId;
    const mine = await h.query(`query($id: ID!) { node(id: $id) { ... on Conversation { parts(first: 100) { edges { node { nativeId } } } } } }`, { id: a.id });
    const own = new Set(mine.data.node.parts.edges.map((e: { node: { nativeId: string } }) => e.node.nativeId));

    const result = await h.query(PARTS, { id: a.id, after: cursorOf(a.nativeId, foreignPart) });
    expect(result.errors).toBeUndefined();
    for (const edge of result.data.node.parts.edges) {
      expect(own.has(edge.node.nativeId)).toBe(true);
      expect(BigInt(edge.node.nativeId) > BigInt(foreignPart)).toBe(true);
    }
  });
});

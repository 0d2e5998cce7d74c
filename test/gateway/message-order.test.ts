import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type GraphQLResponse, type Harness } from './harness.js';

/**
 * Re:amaze's docs do not say which way a thread's messages are paged. Whichever way the
 * provider serves them, `parts` comes back oldest first with the same positional ids, and
 * paging with `after` neither skips nor repeats a part.
 */

let h: Harness;
let slug: string;
let conversationId: string;
/** The thread as the simulator holds it, oldest first: what `parts` must answer. */
let expected: Array<{ nativeId: string; body: string; createdAt: string }>;

beforeAll(async () => {
  h = await startHarness({ conversations: 20 });
  const record = h.sandbox.reamaze.store.conversations[0]!;
  slug = record.slug;
  // Three pages of 30, each message at its own second, all before now.
  const last = record.messages.at(-1)!;
  const from = Math.min(last.createdAt + 1000, Date.now() - 200_000);
  for (let i = record.messages.length; i < 70; i++) {
    record.messages.push({ ...last, body: `added ${i}`, createdAt: from + i * 1000, attachments: [] });
  }
  const ordered = [...record.messages].sort((a, b) => a.createdAt - b.createdAt);
  expect(new Set(ordered.map((m) => m.createdAt)).size).toBe(ordered.length);
  expected = ordered.map((m, i) => ({ nativeId: `${slug}#${i}`, body: m.body, createdAt: new Date(m.createdAt).toISOString() }));

  const listed = await h.query(`{ conversations(first: 100, filter: { sources: ["rz"] }) { edges { node { id nativeId } } } }`);
  conversationId = listed.data.conversations.edges.find((e: { node: { nativeId: string } }) => e.node.nativeId === slug).node.id;
});
afterEach(() => {
  h.sandbox.reamaze.setReadings({ messageOrder: 'oldest-first' });
});
afterAll(() => h.close());

const PARTS = /* GraphQL */ `
  query Parts($id: ID!, $first: Int, $after: String) {
    node(id: $id) {
      ... on Conversation {
        parts(first: $first, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { node { id nativeId body createdAt } }
        }
      }
    }
  }
`;

interface PartNode {
  id: string;
  nativeId: string;
  body: string;
  createdAt: string;
}

async function walkParts(first: number): Promise<PartNode[]> {
  const parts: PartNode[] = [];
  let after: string | null = null;
  for (let page = 0; page < 100; page++) {
    const result: GraphQLResponse = await h.query(PARTS, { id: conversationId, first, after });
    expect(result.errors).toBeUndefined();
    const connection: { edges: Array<{ node: PartNode }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } = result.data.node.parts;
    parts.push(...connection.edges.map((e: { node: PartNode }) => e.node));
    if (!connection.pageInfo.hasNextPage) return parts;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('the parts walk did not end');
}

const strip = ({ nativeId, body, createdAt }: PartNode) => ({ nativeId, body, createdAt });

describe.each(['oldest-first', 'newest-first'] as const)('Re:amaze serving messages %s', (messageOrder) => {
  it('parts come back oldest first with positional ids, whole or 7 at a time', async () => {
    h.sandbox.reamaze.setReadings({ messageOrder });
    const whole = await h.query(PARTS, { id: conversationId, first: 100 });
    expect(whole.data.node.parts.edges.map((e: { node: PartNode }) => strip(e.node))).toEqual(expected);
    expect(whole.data.node.parts.totalCount).toBe(70);
    expect((await walkParts(7)).map(strip)).toEqual(expected);
  });

  it('a part read by its id is the same message', async () => {
    h.sandbox.reamaze.setReadings({ messageOrder: 'oldest-first' });
    const parts = await walkParts(100);
    h.sandbox.reamaze.setReadings({ messageOrder });
    for (const index of [0, 31, 69]) {
      const result = await h.query(`query($id: ID!) { node(id: $id) { ... on ConversationPart { nativeId body } } }`, { id: parts[index]!.id });
      expect(result.data.node).toEqual({ nativeId: expected[index]!.nativeId, body: expected[index]!.body });
    }
  });
});

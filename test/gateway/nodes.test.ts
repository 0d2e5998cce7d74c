import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SOURCE_IDS, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ conversations: 40 });
});
afterAll(() => h.close());

const SAMPLE = /* GraphQL */ `
  query Sample($source: String!) {
    conversations(first: 10, filter: { sources: [$source] }) {
      edges {
        node {
          __typename id nativeId source subject status lastUpdate
          user { __typename id nativeId name email }
          assignee { __typename id nativeId name isBot }
          channel { __typename id nativeId name type }
          lastPart { __typename id nativeId kind body createdAt }
        }
      }
    }
  }
`;

const NODE = /* GraphQL */ `
  query Node($id: ID!) {
    node(id: $id) {
      __typename id
      ... on Conversation { nativeId source subject status lastUpdate }
      ... on User { nativeId name email }
      ... on Admin { nativeId name isBot }
      ... on Channel { nativeId name type }
      ... on ConversationPart { nativeId kind body createdAt }
    }
  }
`;

/** Drops the nested objects so a node can be compared with its own `node(id)` answer. */
const NESTED = new Set(['user', 'assignee', 'channel', 'lastPart']);
function flat(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !NESTED.has(k)));
}

/** A conversation's last part as read by id: lists without parts (Intercom's) show none. */
async function lastPartById(id: string) {
  const answer = await h.query(`query($id: ID!) { conversation(id: $id) { lastPart { __typename id nativeId kind body createdAt } } }`, { id });
  expect(answer.errors).toBeUndefined();
  return answer.data.conversation.lastPart;
}

describe('node(id)', () => {
  for (const source of ALL_SOURCE_IDS) {
    it(`round-trips every node type of ${source}`, async () => {
      const sample = await h.query(SAMPLE, { source });
      expect(sample.errors).toBeUndefined();
      const nodes = sample.data.conversations.edges.map((e: any) => e.node);
      const objects = [
        nodes[0],
        nodes.find((n: any) => n.user)?.user,
        nodes.find((n: any) => n.assignee)?.assignee,
        nodes.find((n: any) => n.channel)?.channel,
        nodes.find((n: any) => n.lastPart)?.lastPart ?? (await lastPartById(nodes[0].id)),
      ];
      expect(objects.every(Boolean)).toBe(true);
      for (const object of objects) {
        const answer = await h.query(NODE, { id: object.id });
        expect(answer.errors).toBeUndefined();
        expect(flat(answer.data.node)).toEqual(flat(object));
      }
    });
  }

  it('keeps 64-bit Carrot quest ids exact through the global id', async () => {
    const sample = await h.query(SAMPLE, { source: 'cq' });
    const conversation = sample.data.conversations.edges[0].node;
    expect(BigInt(conversation.nativeId)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(h.sandbox.carrotquest.store.conversation(conversation.nativeId)).toBeDefined();
    const again = await h.query(`query($id: ID!) { conversation(id: $id) { nativeId } }`, { id: conversation.id });
    expect(again.data.conversation.nativeId).toBe(conversation.nativeId);
  });

  it('answers nodes(ids) in order, with null for unknown and malformed ids', async () => {
    const sample = await h.query(SAMPLE, { source: 'cw' });
    const [a, b] = sample.data.conversations.edges.map((e: any) => e.node.id);
    const unknown = Buffer.from('Conversation:cw:999999').toString('base64');
    const otherSource = Buffer.from('Conversation:nope:1').toString('base64');
    const result = await h.query(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [b, unknown, a, otherSource] });
    expect(result.data.nodes).toEqual([{ id: b }, null, { id: a }, null]);
  });

  it('fetches a conversation that was not listed with one detail call', async () => {
    const sample = await h.query(SAMPLE, { source: 'rz' });
    const id = sample.data.conversations.edges[0].node.id;
    h.resetUpstream();
    const result = await h.query(`query($id: ID!) { conversation(id: $id) { nativeId user { name } } }`, { id });
    expect(result.data.conversation.nativeId).toBe(sample.data.conversations.edges[0].node.nativeId);
    expect(h.upstream().reamaze).toHaveLength(1);
  });
});

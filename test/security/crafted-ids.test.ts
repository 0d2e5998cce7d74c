import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathSegment } from '../../src/http/path-segment.js';
import { SOURCE_IDS, startResilienceHarness, type ResilienceHarness } from '../resilience/harness.js';

/**
 * A global id is opaque, not tamper-proof: a client can base64 any `Type:source:nativeId`.
 * A native id that is not shaped like its provider's ids names nothing, and no request is
 * built from it (`..` as a Re:amaze slug once became `GET /api/v1/conversations/../messages`).
 */

let h: ResilienceHarness;
beforeAll(async () => {
  h = await startResilienceHarness({ conversations: 6 });
});
afterAll(async () => {
  await h.close();
});

const globalId = (type: string, key: string) => Buffer.from(`${type}:${key}`).toString('base64');
const NODE = /* GraphQL */ `query Node($id: ID!) { node(id: $id) { id } }`;

function upstreamCalls(): number {
  return Object.values(h.sims).reduce((sum, sim) => sum + sim.requests().length, 0);
}

describe('crafted native ids', () => {
  it.each([
    ['a Re:amaze slug "."', 'Conversation', 'rz:.'],
    ['a Re:amaze slug ".."', 'Conversation', 'rz:..'],
    ['a Re:amaze part of conversation ".."', 'ConversationPart', 'rz:..:..%230'],
    ['a Re:amaze slug with a slash', 'Conversation', 'rz:a%2F..%2Fstaff'],
    ['a Chatwoot conversation path', 'Conversation', 'cw:1%2F..%2F..%2Fprofile'],
    ['a Chatwoot contact ".."', 'User', 'cw:..'],
    ['a Carrot quest user ".."', 'User', 'cq:..'],
    ['a Carrot quest conversation that is not a number', 'Conversation', 'cq:12a'],
    ['a Re:amaze staff member that is not an email', 'Admin', 'rz:..'],
  ])('%s is no node and costs no upstream call', async (_name, type, key) => {
    for (const sim of Object.values(h.sims)) sim.resetRequests();
    const response = await h.query(NODE, { id: globalId(type, key) });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ node: null });
    expect(upstreamCalls()).toBe(0);
  });

  it('still loads a well-formed id of each provider (the check is not a blanket refusal)', async () => {
    const page = await h.query(`{ conversations(first: 100) { edges { node { id source } } } }`);
    const ids = new Map<string, string>(page.data.conversations.edges.map((e: { node: { id: string; source: string } }) => [e.node.source, e.node.id]));
    expect([...ids.keys()].sort()).toEqual([...SOURCE_IDS].sort());
    for (const id of ids.values()) {
      const response = await h.query(`query Node($id: ID!) { node(id: $id) { ... on Conversation { id } } }`, { id });
      expect(response.data.node).toEqual({ id });
    }
  });
});

describe('pathSegment', () => {
  it('percent-encodes an id and refuses dot segments', () => {
    expect(pathSegment('a/b?c#d')).toBe('a%2Fb%3Fc%23d');
    expect(pathSegment(42)).toBe('42');
    for (const bad of ['', '.', '..']) expect(() => pathSegment(bad)).toThrow(expect.objectContaining({ code: 'INVALID_PATH_SEGMENT' }));
  });
});

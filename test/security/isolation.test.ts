import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxSourceId } from '../../src/sandbox/registry.js';
import { ALL_SOURCE_IDS, simulatorOf, simulatorsOf } from '../gateway/harness.js';
import { codes, globalId, startSecured, type Response, type Secured } from './helpers.js';

/**
 * A key scoped to one source reads nothing of the others, through every way data leaves
 * Parley: the connection, its counts and reports, node/nodes/conversation with real or
 * forged ids, nested fields and cursors. Stronger than "nothing came back": the other
 * simulators must not even have been asked.
 */

let s: Secured;
beforeAll(async () => {
  s = await startSecured({ conversations: 12 });
});
afterAll(() => s.close());

const SOURCES = ALL_SOURCE_IDS;
type SourceId = SandboxSourceId;

const EVERYTHING = /* GraphQL */ `
  query Everything($first: Int, $after: String, $filter: ConversationFilter) {
    conversations(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      sources { source status upstreamCalls }
      edges {
        node {
          id source nativeId partsCount raw
          user { id source raw }
          assignee { id source raw }
          lastAdmin { id source }
          channel { id source raw }
          lastPart { id source author { ... on User { id source } ... on Admin { id source } } }
          lastReply { id source }
          parts(first: 5) { totalCount edges { node { id source author { ... on User { id source } ... on Admin { id source } } } } }
        }
      }
    }
  }
`;

const NODE = /* GraphQL */ `query($id: ID!) { node(id: $id) { id __typename ... on Conversation { source } } }`;

/** Every global id the all-sources key can see, per source and type. */
async function idsOf(source: SourceId) {
  const page = await s.query(EVERYTHING, { first: 10, filter: { sources: [source] } });
  expect(page.body.errors).toBeUndefined();
  const nodes = page.body.data.conversations.edges.map((e: any) => e.node);
  const ids: Record<string, string[]> = { Conversation: [], User: [], Admin: [], Channel: [], ConversationPart: [] };
  for (const n of nodes) {
    ids.Conversation!.push(n.id);
    if (n.user) ids.User!.push(n.user.id);
    if (n.assignee) ids.Admin!.push(n.assignee.id);
    if (n.channel) ids.Channel!.push(n.channel.id);
    for (const part of n.parts.edges) ids.ConversationPart!.push(part.node.id);
  }
  for (const [type, list] of Object.entries(ids)) expect(list.length, `${source} ${type}`).toBeGreaterThan(0);
  return { ids, cursor: page.body.data.conversations.pageInfo.endCursor as string, nativeIds: nodes.map((n: any) => n.nativeId as string) };
}

let known: Record<SourceId, Awaited<ReturnType<typeof idsOf>>>;
beforeAll(async () => {
  known = {} as typeof known;
  for (const source of SOURCES) known[source] = await idsOf(source);
});

function resetUpstream() {
  for (const sim of simulatorsOf(s.sandbox)) sim.resetRequests();
}
const requestsTo = (source: SourceId) => simulatorOf(s.sandbox, source).requests();

/** Collects every `source` value anywhere in a response. */
function sourcesIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => sourcesIn(v, found));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'source' && typeof item === 'string') found.add(item);
      else if (key !== 'raw') sourcesIn(item, found);
    }
  }
  return found;
}

describe.each(SOURCES)('a key scoped to %s', (own) => {
  const others = SOURCES.filter((id) => id !== own);

  it('lists only its source in `sources`', async () => {
    const result = await s.query('{ sources { id provider } }', {}, own);
    expect(result.body.data.sources.map((x: any) => x.id)).toEqual([own]);
  });

  it('pages through conversations, nested fields included, and meets only its own source', async () => {
    resetUpstream();
    let after: string | null = null;
    const seen = new Set<string>();
    for (let page = 0; page < 50; page++) {
      const result: Response = await s.query(EVERYTHING, { first: 7, after }, own);
      expect(result.body.errors).toBeUndefined();
      const connection = result.body.data.conversations;
      expect(connection.sources.map((r: any) => r.source)).toEqual([own]);
      expect([...sourcesIn(connection.edges)].every((id) => id === own)).toBe(true);
      for (const edge of connection.edges) seen.add(edge.node.nativeId);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen.size).toBeGreaterThan(0);
    for (const other of others) expect(requestsTo(other), other).toEqual([]);
  });

  it('counts only its own source', async () => {
    const own_ = await s.query('{ conversations(first: 1) { totalCount } }', {}, own);
    const everything = await s.query('query($f: ConversationFilter) { conversations(first: 1, filter: $f) { totalCount } }', { f: { sources: [own] } }, 'all');
    expect(own_.body.data.conversations.totalCount).toBe(everything.body.data.conversations.totalCount);
  });

  it('is told another source is unknown, exactly as for a source that does not exist', async () => {
    for (const asked of [...others, 'nope']) {
      const result = await s.query('query($f: ConversationFilter) { conversations(first: 1, filter: $f) { edges { cursor } } }', { f: { sources: [asked] } }, own);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.body.errors![0]!.message).toBe(`unknown source "${asked}"`);
    }
  });

  it('filters by assignees and channels of other sources without reading them', async () => {
    resetUpstream();
    const filter = {
      assignee: { ids: others.flatMap((o) => known[o].ids.Admin!) },
      channels: { ids: others.flatMap((o) => known[o].ids.Channel!) },
    };
    const result = await s.query(EVERYTHING, { first: 20, filter }, own);
    expect(result.body.errors ?? []).toEqual([]);
    expect([...sourcesIn(result.body.data.conversations)].every((id) => id === own)).toBe(true);
    for (const other of others) expect(requestsTo(other), other).toEqual([]);
  });

  it('gets null for every real id of another source, through node, nodes and conversation', async () => {
    resetUpstream();
    for (const other of others) {
      for (const [type, ids] of Object.entries(known[other].ids)) {
        for (const id of ids.slice(0, 3)) {
          const node = await s.query(NODE, { id }, own);
          expect(node.body, `${type} ${id}`).toEqual({ data: { node: null } });
        }
        const nodes = await s.query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids }, own);
        expect(nodes.body).toEqual({ data: { nodes: ids.map(() => null) } });
      }
      for (const id of known[other].ids.Conversation!) {
        const conversation = await s.query('query($id: ID!) { conversation(id: $id) { id parts { edges { node { id } } } } }', { id }, own);
        expect(conversation.body).toEqual({ data: { conversation: null } });
      }
    }
    for (const other of others) expect(requestsTo(other), other).toEqual([]);
  });

  it('still reads its own ids through node and nodes (the isolation is not "null for everyone")', async () => {
    const ids = Object.values(known[own].ids).map((list) => list[0]!);
    const nodes = await s.query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids }, own);
    expect(nodes.body.data.nodes.map((n: any) => n?.id)).toEqual(ids);
  });

  it('gets null, never another source, for forged and guessed global ids', async () => {
    resetUpstream();
    const native = known[others[0]!].nativeIds[0]!;
    const forged = [
      ...others.flatMap((o) => ['Conversation', 'User', 'Admin', 'Channel'].map((type) => globalId(type, `${o}:${native}`))),
      ...others.map((o) => globalId('ConversationPart', `${o}:${native}:1`)),
      globalId('Conversation', `${others[0]!.toUpperCase()}:${native}`),
      globalId('Conversation', ` ${others[0]}:${native}`),
      globalId('Conversation', `${own}%3A${others[0]}:${native}`),
      globalId('Conversation', `${others[0]}%3A${own}:${native}`),
      globalId('Conversation', `${own}:${others[0]}:${native}`),
      globalId('Conversation', `${others[0]}:${own}:${native}`),
      globalId('Conversation', `${others[0]}:`),
      globalId('Conversation', `:${native}`),
      globalId('Conversation', `__proto__:${native}`),
      globalId('Conversation', `constructor:${native}`),
      globalId('Source', others[0]!),
      globalId('Query', `${others[0]}:${native}`),
    ];
    const result = await s.query('query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Conversation { source } } }', { ids: forged }, own);
    expect(result.body.errors?.every((e) => e.extensions?.code === 'BAD_USER_INPUT') ?? true).toBe(true);
    expect((result.body.data?.nodes ?? []).filter((n: unknown) => n !== null)).toEqual([]);
    for (const id of forged) {
      const one = await s.query('query($id: ID!) { conversation(id: $id) { id source } }', { id }, own);
      expect(one.body.data?.conversation ?? null).toBeNull();
    }
    for (const other of others) expect(requestsTo(other), other).toEqual([]);
  });

  it('reads only its own source when it resumes a cursor issued to the all-sources key', async () => {
    const allPage = await s.query(EVERYTHING, { first: 5 }, 'all');
    resetUpstream();
    // A cursor of another source's page, with that source's filter: refused like any unknown source.
    const foreign = await s.query(EVERYTHING, { first: 5, after: known[others[0]!].cursor, filter: { sources: [others[0]] } }, own);
    expect(codes(foreign)).toEqual(['BAD_USER_INPUT']);
    const resumed = await s.query(EVERYTHING, { first: 5, after: allPage.body.data.conversations.pageInfo.endCursor }, own);
    expect(resumed.body.errors).toBeUndefined();
    expect(resumed.body.data.conversations.edges.length).toBeGreaterThan(0);
    expect([...sourcesIn(resumed.body.data.conversations)].every((id) => id === own)).toBe(true);
    for (const other of others) expect(requestsTo(other), other).toEqual([]);
  });
});

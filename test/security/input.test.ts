import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../front/helpers.js';
import { ALL_SOURCE_IDS, simulatorsOf } from '../gateway/harness.js';
import { codes, globalId, KEYS, startSecured, type Secured } from './helpers.js';

/** Every argument is checked before it reaches a planner, a loader or a provider. */

let s: Secured;
beforeAll(async () => {
  s = await startSecured({ conversations: 6 });
});
afterAll(() => s.close());

const LIST = 'query($f: ConversationFilter, $after: String, $first: Int) { conversations(first: $first, after: $after, filter: $f) { edges { cursor } } }';

/** The one error of a refused request: BAD_USER_INPUT, naming the argument. */
async function refusal(query: string, variables: Record<string, unknown>, options = { upstreamFree: true }) {
  for (const sim of simulatorsOf(s.sandbox)) sim.resetRequests();
  const response = await s.query(query, variables);
  expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  // Refused input costs no upstream call (a nested argument waits for its parent object, though).
  if (options.upstreamFree) expect(simulatorsOf(s.sandbox).flatMap((sim) => sim.requests())).toEqual([]);
  return response.body.errors![0]!;
}

describe('string lengths', () => {
  it.each([
    ['filter.search', { search: 's'.repeat(201) }],
    ['filter.tags', { tags: { anyOf: ['t'.repeat(201)] } }],
    ['filter.tags', { tags: { allOf: ['t'.repeat(201)] } }],
    ['filter.sources', { sources: ['s'.repeat(201)] }],
  ])('%s values are at most 200 characters', async (argument, f) => {
    const error = await refusal(LIST, { f });
    expect(error.extensions?.argument).toBe(argument);
    expect(error.message).toContain('at most 200 characters');
  });

  it('a blank search is refused', async () => {
    expect((await refusal(LIST, { f: { search: '   ' } })).extensions?.argument).toBe('filter.search');
  });

  it('a giant cursor is refused without being decoded, and not echoed', async () => {
    const error = await refusal(LIST, { after: 'A'.repeat(20_000) });
    expect(error.extensions?.argument).toBe('after');
    expect(error.message.length).toBeLessThan(200);
  });

  it('a giant global id is refused, and not echoed', async () => {
    const error = await refusal('query($id: ID!) { node(id: $id) { id } }', { id: 'Q'.repeat(5000) });
    expect(error.message).toBe('a global id is at most 512 characters');
  });

  // Bodies are read, within the cap, by the front door: these go through the gateway's port.
  it.each([
    ['declares its length', true],
    ['streams without a declared length', false],
  ])('a body over 64 KiB that %s is refused with HTTP 413', async (_name, declared) => {
    const text = JSON.stringify({ query: '{ sources { id } }', variables: { pad: 'x'.repeat(70_000) } });
    const response = await postToPort(text, declared);
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'bodyBytes', max: 65_536 });
  });

  it('a streamed body within the limit is read and answered', async () => {
    const response = await postToPort(JSON.stringify({ query: '{ sources { id } }' }), false);
    expect(await response.json()).toEqual({ data: { sources: ALL_SOURCE_IDS.map((id) => ({ id })) } });
  });
});

/** A POST on the gateway's port: with a Content-Length, or streamed in two chunks without one. */
async function postToPort(text: string, declared: boolean): Promise<globalThis.Response> {
  const chunks = [text.slice(0, 30_000), text.slice(30_000)].filter(Boolean).map((part) => new TextEncoder().encode(part));
  const front = await listen(s.parley);
  try {
    const response = await fetch(`${front.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.all}` },
      body: declared ? text : new ReadableStream<Uint8Array>({ pull: (c) => (chunks.length > 0 ? c.enqueue(chunks.shift()!) : c.close()) }),
      duplex: 'half',
    } as RequestInit);
    return new globalThis.Response(await response.arrayBuffer(), { status: response.status, headers: response.headers });
  } finally {
    await front.close();
  }
}

describe('nesting', () => {
  it('variables nested thirty thousand lists deep are refused, not a crash', async () => {
    const deep = '['.repeat(30_000) + ']'.repeat(30_000);
    const body = `{"query":"query($f: ConversationFilter) { conversations(first: 1, filter: $f) { edges { cursor } } }","variables":{"f":{"sources":${deep}}}}`;
    const response = await s.post(body, { authorization: `Bearer ${KEYS.all}` });
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('a document nested past the token limit is refused while parsing, before the parser can recurse too deep', async () => {
    for (const query of [`{ conversations(filter: { sources: ${'['.repeat(3000)}"cq"${']'.repeat(3000)} }) { edges { cursor } } }`, `{ ${'sources { '.repeat(3000)}id${' }'.repeat(3000)} }`]) {
      const response = await s.query(query);
      expect(response.status).toBe(400);
      expect(response.body.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'tokens', max: 1000 });
    }
  });
});

describe('list sizes', () => {
  it.each([
    ['filter.sources', { sources: Array(51).fill('cq') }],
    ['filter.status', { status: Array(51).fill('OPEN') }],
    ['filter.tags.anyOf', { tags: { anyOf: Array(51).fill('vip') } }],
    ['filter.tags.allOf', { tags: { allOf: Array(51).fill('vip') } }],
    ['filter.assignee.ids', { assignee: { ids: Array(51).fill(globalId('Admin', 'cq:1')) } }],
    ['filter.channels.ids', { channels: { ids: Array(51).fill(globalId('Channel', 'cq:1')) } }],
  ])('%s holds at most 50 items', async (argument, f) => {
    const error = await refusal(LIST, { f });
    expect(error.extensions?.argument).toBe(argument);
    expect(error.message).toContain('at most 50 items');
  });

  it('`first` is between 0 and 100', async () => {
    for (const first of [-1, 101, 2 ** 31 - 1]) expect((await refusal(LIST, { first })).extensions?.argument).toBe('first');
  });
});

describe('date ranges', () => {
  it.each([
    ['an inverted range', { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'filter.updated'],
    ['an empty range', { from: '2026-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'filter.updated'],
    ['a start before 1970', { from: '1969-12-31T23:59:59Z' }, 'filter.updated.from'],
    ['an end past 2100', { to: '9999-12-31' }, 'filter.updated.to'],
  ])('refuses %s', async (_name, updated, argument) => {
    expect((await refusal(LIST, { f: { updated } })).extensions?.argument).toBe(argument);
  });

  it.each(['yesterday', '2026-13-01', '2026-02-30T25:00:00Z', '', '1'.repeat(100)])('refuses the date %j', async (from) => {
    const error = await refusal(LIST, { f: { created: { from } } });
    expect(error.message).toMatch(/DateTime/);
  });

  it('accepts a plain date and an offset, read as instants', async () => {
    const response = await s.query(LIST, { first: 1, f: { updated: { from: '2020-01-01', to: '2099-06-01T12:00:00+02:00' } } });
    expect(response.body.errors).toBeUndefined();
  });
});

describe('ids', () => {
  it.each([
    ['not base64 at all', '!!!'],
    ['base64 of no type', Buffer.from('nothing').toString('base64')],
    ['a type Parley does not have', globalId('Nope', 'cq:1')],
    ['a type that is not a node', globalId('Source', 'cq')],
    ['the root type', globalId('Query', 'cq:1')],
  ])('node(id) refuses an id that is %s', async (_name, id) => {
    const error = await refusal('query($id: ID!) { node(id: $id) { id } }', { id });
    expect(error.message).toMatch(/^invalid global id "/);
  });

  it('an id of another type where a conversation is expected is refused', async () => {
    const error = await refusal('query($id: ID!) { conversation(id: $id) { id } }', { id: globalId('User', 'cq:1') });
    expect(error.message).toMatch(/is not of type: Conversation/);
  });

  it('a well-formed id of no existing object is null, like an unreadable one', async () => {
    const response = await s.query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [globalId('Conversation', 'cw:999999'), globalId('Conversation', 'nope:1')] });
    expect(response.body).toEqual({ data: { nodes: [null, null] } });
  });

  it("a parts cursor of another conversation is refused", async () => {
    const page = await s.query('{ conversations(first: 2, filter: { sources: ["cw"] }) { edges { node { id parts(first: 1) { pageInfo { endCursor } } } } } }');
    const [a, b] = page.body.data.conversations.edges.map((e: any) => e.node);
    const error = await refusal('query($id: ID!, $after: String) { conversation(id: $id) { parts(first: 1, after: $after) { edges { cursor } } } }', {
      id: b.id,
      after: a.parts.pageInfo.endCursor,
    }, { upstreamFree: false });
    expect(error.extensions?.argument).toBe('after');
  });

  it('wrong types are BAD_USER_INPUT', async () => {
    expect((await s.query(LIST, { first: 'ten' })).body.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await s.query(LIST, { f: { status: ['WAITING'] } })).body.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await s.query(LIST, { f: { closed: 'yes' } })).body.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await s.query(LIST, { f: { sources: 'cq' } })).body.errors ?? []).toEqual([]);
  });
});

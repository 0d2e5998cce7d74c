import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorsOf } from '../gateway/harness.js';
import { codes, startSecured, type Response, type Secured } from './helpers.js';
import { EXAMPLE_QUERY, INBOX_QUERY, THREAD_QUERY } from './reference-queries.js';

let s: Secured;
let open: Secured;
beforeAll(async () => {
  [s, open] = await Promise.all([startSecured({ conversations: 30 }), startSecured({ conversations: 4, config: { introspection: true } })]);
});
afterAll(() => Promise.all([s.close(), open.close()]));

/** The one QUERY_TOO_COMPLEX error of a rejected query, as a client reads it. */
function rejection(response: Response) {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toHaveLength(1);
  const error = response.body.errors![0]!;
  expect(error.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  expect(error.message).toContain(`the ${error.extensions?.limit} limit is ${error.extensions?.max}`);
  const { code: _code, ...named } = error.extensions!;
  return named as { limit: string; max: number; found?: number };
}

async function threadId(): Promise<string> {
  const page = await s.query('{ conversations(first: 30) { edges { node { id partsCount source } } } }');
  // A conversation with a long thread, from a source that counts its parts.
  const nodes = page.body.data.conversations.edges.map((e: any) => e.node);
  return [...nodes].sort((a: any, b: any) => (b.partsCount ?? 0) - (a.partsCount ?? 0))[0].id;
}

describe('the reference queries pass the default limits', () => {
  it.each([
    ['the inbox page of 20', INBOX_QUERY, { first: 20 }],
    ['the inbox page of 100 (the maximum page)', INBOX_QUERY, { first: 100 }],
    ["GraphiQL's example inbox", EXAMPLE_QUERY, {}],
  ])('%s', async (_name, query, variables) => {
    const result = await s.query(query, variables);
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.conversations.edges.length).toBeGreaterThan(0);
  });

  it('a conversation with 20 parts and their authors', async () => {
    const result = await s.query(THREAD_QUERY, { id: await threadId() });
    expect(result.body.errors).toBeUndefined();
    const parts = result.body.data.conversation.parts.edges;
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.every((p: any) => p.node.author === null || ['User', 'Admin'].includes(p.node.author.__typename))).toBe(true);
  });

  it("GraphiQL's introspection query, where introspection is on", async () => {
    const result = await open.query(getIntrospectionQuery());
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.__schema.queryType.name).toBe('Query');
  });

  it('with room: five times the reference page of 20 still fits the cost limit', async () => {
    // Five aliased inbox pages of 20 cost about what one page of 100 costs.
    const five = `{ ${['a', 'b', 'c', 'd', 'e'].map((alias) => `${alias}: conversations(first: 20) { edges { node { id lastUpdate status user { id name } assignee { id name } channel { id name } lastPart { id kind body } } } }`).join(' ')} }`;
    const result = await s.query(five);
    expect(result.body.errors).toBeUndefined();
  });
});

describe('hostile queries are refused before they run, naming the limit', () => {
  it('depth: an `ofType` chain twelve levels down', async () => {
    const deep = `{ __type(name: "Conversation") { ${'ofType { '.repeat(11)}name${' }'.repeat(11)} } }`;
    expect(rejection(await open.query(deep))).toEqual({ limit: 'depth', max: 10, found: 13 });
  });

  it('depth: a configured limit below the inbox refuses the inbox, naming depth', async () => {
    const strict = await startSecured({ conversations: 2, config: { limits: { depth: 4 } } });
    try {
      expect(rejection(await strict.query(INBOX_QUERY, { first: 5 }))).toEqual({ limit: 'depth', max: 4, found: 5 });
    } finally {
      await strict.close();
    }
  });

  it('aliases: sixteen aliased fields, and a hundred and fifty', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: sources { id }`).join(' ')} }`;
    expect(rejection(await s.query(aliases(16)))).toEqual({ limit: 'aliases', max: 15, found: 16 });
    expect(rejection(await s.query(aliases(150)))).toEqual({ limit: "aliases", max: 15, found: 150 });
  });

  it('directives: twenty-one on one field', async () => {
    const many = `{ sources ${'@include(if: true) '.repeat(21)}{ id } }`;
    // Repeating a non-repeatable directive is also a validation error; the limit is among them.
    const response = await s.query(many);
    expect(response.status).toBe(400);
    const limit = response.body.errors!.find((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX');
    expect(limit?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'directives', max: 20, found: 21 });
  });

  it('tokens: a document of five thousand tokens is dropped while parsing', async () => {
    const long = `{ ${'sources { id } '.repeat(1250)}}`;
    expect(rejection(await s.query(long))).toEqual({ limit: 'tokens', max: 1000 });
  });

  it('cost: a page of 100 conversations with 100 parts each', async () => {
    const nested = '{ conversations(first: 100) { edges { node { id parts(first: 100) { edges { node { id body author { __typename } } } } } } } }';
    const limits = rejection(await s.query(nested));
    expect(limits).toMatchObject({ limit: 'cost', max: 5000 });
    expect(limits.found).toBeGreaterThan(30 * 5000 / 5);
  });

  it('cost: `first` in variables multiplies like a literal', async () => {
    const query = 'query($n: Int) { conversations(first: $n) { edges { node { id parts(first: $n) { edges { node { id body } } } } } } }';
    expect((await s.query(query, { n: 3 })).body.errors).toBeUndefined();
    expect(rejection(await s.query(query, { n: 60 }))).toMatchObject({ limit: 'cost', max: 5000 });
  });

  it('cost: a fragment bomb (each fragment spreading the one before twice)', async () => {
    const fragments = Array.from({ length: 30 }, (_, i) => (i === 0 ? 'fragment F0 on Query { sources { id } }' : `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`));
    const response = await s.query(`{ ...F29 } ${fragments.join(' ')}`);
    expect(rejection(response)).toMatchObject({ limit: 'cost', max: 5000 });
  });

  it('costs nothing upstream when it refuses', async () => {
    for (const sim of simulatorsOf(s.sandbox)) sim.resetRequests();
    await s.query('{ conversations(first: 100) { edges { node { parts(first: 100) { edges { node { id } } } } } } }');
    expect(simulatorsOf(s.sandbox).flatMap((sim) => sim.requests())).toEqual([]);
  });
});

describe('page sizes and batches', () => {
  it.each([
    ['conversations', '{ conversations(first: 101) { edges { cursor } } }', 'first'],
    ['parts', 'query($id: ID!) { conversation(id: $id) { parts(first: 101) { edges { cursor } } } }', 'first'],
  ])('`first` above 100 on %s is BAD_USER_INPUT naming it', async (_field, query, argument) => {
    const response = await s.query(query, { id: await threadId() });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.extensions?.argument).toBe(argument);
    expect(response.body.errors![0]!.message).toMatch(/`first` must be between 0 and 100/);
  });

  it('nodes(ids) answers at most 100 ids', async () => {
    const id = await threadId();
    expect((await s.query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array(100).fill(id) })).body.errors).toBeUndefined();
    const over = await s.query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array(101).fill(id) });
    expect(codes(over)).toEqual(['BAD_USER_INPUT']);
    expect(over.body.errors![0]!.extensions?.argument).toBe('ids');
  });

  it('refuses batched requests', async () => {
    const response = await s.post(JSON.stringify([{ query: '{ sources { id } }' }, { query: '{ sources { id } }' }]), { authorization: 'Bearer key-all-sources-0123456789' });
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['BAD_REQUEST']);
  });
});

describe('introspection and field suggestions', () => {
  it('are off by default: introspection is refused and errors suggest no field names', async () => {
    for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Conversation") { name } }']) {
      const refused = await s.query(query);
      expect(refused.status).toBe(400);
      expect(refused.body.data).toBeUndefined();
      expect(codes(refused)?.every((code) => code === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
      expect(refused.body.errors![0]!.message).toMatch(/introspection has been disabled/);
    }
    const typos = [
      await s.query('{ conversatons(first: 1) { edges { cursor } } }'),
      await s.query('{ conversations(first: 1, filter: { status: [OPN] }) { edges { cursor } } }'),
      await s.query('query($f: ConversationFilter) { conversations(first: 1, filter: $f) { edges { cursor } } }', { f: { serch: 'x' } }),
      await s.query('query($f: ConversationFilter) { conversations(first: 1, filter: $f) { edges { cursor } } }', { f: { status: ['OPN'] } }),
    ];
    for (const typo of typos) {
      expect(typo.body.errors![0]!.message).toContain('[Suggestion hidden]');
      expect(typo.body.errors![0]!.message).not.toMatch(/Did you mean|"conversations"|"search"|"OPEN"/);
    }
  });

  it('are on where the config says so (the sandbox)', async () => {
    const type = await open.query('{ __type(name: "Conversation") { name } }');
    expect(type.body).toEqual({ data: { __type: { name: 'Conversation' } } });
    const typo = await open.query('{ conversatons(first: 1) { edges { cursor } } }');
    expect(typo.body.errors![0]!.message).toMatch(/Did you mean .*"conversations"/);
    const enumTypo = await open.query('query($f: ConversationFilter) { conversations(first: 1, filter: $f) { edges { cursor } } }', { f: { status: ['OPN'] } });
    expect(enumTypo.body.errors![0]!.message).toMatch(/Did you mean the enum value "OPEN"\?/);
  });
});

import { afterEach, expect, it } from 'vitest';
import { createParley, type Parley } from '../../../src/gateway/app.js';
import { parseConfig } from '../../../src/config/schema.js';
import { startStub, type StubServer } from '../stub-server.js';
import { fixtureJson } from './read-path.js';

/** One row Parley cannot read costs that row, not the page: end to end through `yoga.fetch`. */

let stub: StubServer | undefined;
let parley: Parley | undefined;
afterEach(async () => {
  await parley?.close();
  await stub?.close();
});

const QUERY = /* GraphQL */ `
  query {
    conversations(first: 20) {
      pageInfo { hasNextPage }
      sources { source status reason }
      edges { node { nativeId user { nativeId } } }
    }
  }
`;

/** Twenty conversations shaped like the reference list example, newest first; `change` damages one of them. */
function twentyRows(change: (rows: any[]) => void) {
  const template = fixtureJson('carrotquest-providers-md-list.json').data[0];
  const rows = Array.from({ length: 20 }, (_, i) => ({
    ...structuredClone(template),
    id: String(1000 + i),
    last_update: 1684739969 - i,
    user: { ...template.user, id: String(5000 + i) },
  }));
  change(rows);
  return { meta: { status: 200, next_before_position: [rows[19].last_update, rows[19].id] }, data: rows };
}

async function query(body: object) {
  const empty = { meta: { status: 200, next_before_position: null }, data: [] };
  stub = await startStub((request) => ({
    body: request.path.endsWith('/channels') ? empty : request.query.paginate_position === undefined ? body : empty,
  }));
  parley = createParley(
    parseConfig({
      cursorSecret: 'test-cursor-secret-0123456789',
      sources: [{ id: 'cq', provider: 'carrotquest', baseUrl: stub.baseUrl, appId: '3', token: 'cq-token' }],
    }),
  );
  const response = await parley.yoga.fetch('http://parley/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: QUERY }),
  });
  return { text: await response.clone().text(), json: (await response.json()) as any };
}

it('one broken row among 20: 19 edges, the source PARTIAL, an error naming the field path and not the value', async () => {
  const { json, text } = await query(twentyRows((rows) => (rows[7].user.id = { secret: 'do-not-echo-7' })));
  const ids = json.data.conversations.edges.map((edge: any) => edge.node.nativeId);
  expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => String(1000 + i)).filter((id) => id !== '1007'));
  expect(json.data.conversations.sources).toEqual([
    { source: 'cq', status: 'PARTIAL', reason: expect.stringContaining('1 conversation was left out') },
  ]);
  expect(json.errors).toEqual([
    expect.objectContaining({
      path: ['conversations'],
      extensions: expect.objectContaining({ code: 'UPSTREAM_BAD_RESPONSE', source: 'cq', path: 'data[7].user.id' }),
    }),
  ]);
  expect(text).not.toContain('do-not-echo');
});

it('a readable page stays OK with no errors', async () => {
  const { json } = await query(twentyRows(() => undefined));
  expect(json.data.conversations.edges).toHaveLength(20);
  expect(json.data.conversations.sources).toEqual([{ source: 'cq', status: 'OK', reason: null }]);
  expect(json.errors).toBeUndefined();
});

it('a page of mostly broken rows names ten of them in errors and counts them all in the reason', async () => {
  const { json } = await query(twentyRows((rows) => rows.slice(0, 12).forEach((row) => (row.user.id = true))));
  expect(json.data.conversations.edges).toHaveLength(8);
  expect(json.data.conversations.sources[0]).toEqual({
    source: 'cq',
    status: 'PARTIAL',
    reason: expect.stringContaining('12 conversations were left out'),
  });
  expect(json.errors.map((error: any) => error.extensions.path)).toEqual(Array.from({ length: 10 }, (_, i) => `data[${i}].user.id`));
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { createParley, type Parley } from '../../../src/gateway/app.js';
import { parseConfig } from '../../../src/config/schema.js';
import { UpstreamClient } from '../../../src/http/upstream-client.js';
import { createReamazeSource } from '../../../src/providers/reamaze/client.js';
import { startStub, type RecordedRequest, type StubReply, type StubServer } from '../stub-server.js';
import { conversation, CUSTOMER, listBody, message, STAFF } from './fixtures.js';

/**
 * Re:amaze serves a thread 30 messages a page, and a part's id is its place in the thread.
 * A page holding more than 30 cannot be placed (page 2 starts at message 30 whatever page 1
 * held): the messages past 30 are left out and that is reported, never skipped in silence.
 */

const BASE = Date.UTC(2024, 2, 1, 12, 0, 0);
const at = (i: number) => new Date(BASE + i * 1000).toISOString();
const messages = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => message(`m${from + i}`, at(from + i), (from + i) % 2 === 0 ? CUSTOMER : STAFF));
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `thread#${from + i}`);

/** Page 1 holds `firstPage` messages (a proper page holds 30); page 2 the next ten. */
function oversizedThread(firstPage: number) {
  return (request: RecordedRequest): StubReply => {
    if (request.path === '/api/v1/conversations') {
      return { body: listBody([conversation('thread', at(100))], { page_count: 1, total_count: 1 }) };
    }
    if (request.path !== '/api/v1/conversations/thread/messages') return { status: 404, body: { error: 'Not Found' } };
    const page = Number(request.query.page);
    const body = page === 1 ? messages(0, firstPage) : page === 2 ? messages(firstPage, firstPage + 10) : [];
    return { body: { page_size: 30, page_count: 2, messages: body } };
  };
}

let stub: StubServer | undefined;
let http: UpstreamClient | undefined;
let parley: Parley | undefined;
afterEach(async () => {
  await parley?.close();
  await http?.close();
  await stub?.close();
  parley = undefined;
  http = undefined;
  stub = undefined;
});

describe('a Re:amaze messages page with more than 30 messages', () => {
  it('keeps the 30 a page has, reports the rest as left out, and has the HTTP layer cut the rest before validation', async () => {
    stub = await startStub(oversizedThread(1000));
    http = new UpstreamClient({ sourceId: 'rz', baseUrl: stub.baseUrl });
    const source = createReamazeSource('rz', { email: 'me@example.com', token: 'rz-secret-token-123' }, { http, now: () => BASE });
    const getJson = vi.spyOn(http, 'getJson');
    const page = await source.listParts({ conversationId: 'thread', first: 35, afterPartId: null }, {});
    expect(getJson.mock.calls.map(([asked]) => asked.rows)).toEqual([
      { path: 'messages', max: 31 },
      { path: 'messages', max: 31 },
    ]);
    // Page 2 starts at place 30: the 970 extra messages of page 1 have no place.
    expect(page.parts.map((part) => part.nativeId)).toEqual(ids(0, 35));
    expect(page.parts[30]!.body).toBe('m1000');
    expect(page.dropped).toEqual([{ path: 'messages[30]', problem: expect.stringContaining('more than the 30 rows') }]);
  });

  it('reports nothing for pages of 30', async () => {
    stub = await startStub(oversizedThread(30));
    http = new UpstreamClient({ sourceId: 'rz', baseUrl: stub.baseUrl });
    const source = createReamazeSource('rz', { email: 'me@example.com', token: 'rz-secret-token-123' }, { http, now: () => BASE });
    const page = await source.listParts({ conversationId: 'thread', first: 35, afterPartId: null }, {});
    expect(page.parts.map((part) => part.body)).toEqual(Array.from({ length: 35 }, (_, i) => `m${i}`));
    expect(page.dropped).toBeUndefined();
  });

  it('answers the parts it could place with an UPSTREAM_BAD_RESPONSE error entry on that parts field', async () => {
    stub = await startStub(oversizedThread(45));
    parley = createParley(
      parseConfig({
        cursorSecret: 'test-cursor-secret-0123456789',
        sources: [{ id: 'rz', provider: 'reamaze', baseUrl: stub.baseUrl, email: 'me@example.com', token: 'rz-secret-token-123' }],
      }),
    );
    const query = '{ conversations(first: 1) { sources { status } edges { node { parts(first: 40) { edges { node { body } } } } } } }';
    const response = await parley.yoga.fetch('http://parley/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query }),
    });
    const json = (await response.json()) as any;
    const bodies = json.data.conversations.edges[0].node.parts.edges.map((edge: any) => edge.node.body);
    expect(bodies).toEqual([...Array.from({ length: 30 }, (_, i) => `m${i}`), ...Array.from({ length: 10 }, (_, i) => `m${45 + i}`)]);
    expect(json.data.conversations.sources).toEqual([{ status: 'OK' }]);
    expect(json.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('parts of this conversation were left out'),
        path: ['conversations', 'edges', 0, 'node', 'parts'],
        extensions: expect.objectContaining({ code: 'UPSTREAM_BAD_RESPONSE', source: 'rz', path: 'messages[30]', retryable: false }),
      }),
    ]);
  });
});

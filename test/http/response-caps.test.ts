import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { SourceError } from '../../src/http/errors.js';
import { readPayload } from '../../src/http/payload.js';
import { UpstreamClient } from '../../src/http/upstream-client.js';
import { createCarrotQuestSource } from '../../src/providers/carrotquest/client.js';
import { createChatwootSource } from '../../src/providers/chatwoot/client.js';
import { chatwootAdapter, chatwootConfigSchema } from '../../src/providers/chatwoot/index.js';
import { createReamazeSource } from '../../src/providers/reamaze/client.js';

/**
 * A provider that answers 200 with a body far larger than any real page, or with far more
 * rows than were asked for, must not cost Parley the body's size in memory or seconds of
 * mapping: reading stops at `upstreamMaxBytes`, and a page keeps the rows it asked for.
 */

const MB = 1024 * 1024;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

interface HugeServer {
  baseUrl: string;
  /** Bytes the server managed to write before the client hung up. */
  written(): number;
  closed: Promise<void>;
}

/** Streams `totalBytes` of valid JSON (`{"data":[{"id":"1"},...]}`), with or without Content-Length. */
async function startHugeServer(totalBytes: number, declareLength: boolean): Promise<HugeServer> {
  const row = Buffer.from('{"id":"1","body":"' + 'x'.repeat(1000) + '"},');
  const head = Buffer.from('{"data":[');
  const tail = Buffer.from('{"id":"2"}]}');
  const rows = Math.floor((totalBytes - head.length - tail.length) / row.length);
  const length = head.length + rows * row.length + tail.length;
  let written = 0;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(length) } : {}) });
    res.on('close', resolveClosed);
    let sent = 0;
    const pump = () => {
      // The one row buffer is written again and again: the stub itself holds nothing large.
      while (!res.destroyed) {
        const chunk = sent === 0 ? head : sent <= rows ? row : null;
        if (chunk === null) {
          written += tail.length;
          res.end(tail);
          return;
        }
        sent += 1;
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, written: () => written, closed };
}

function clientFor(baseUrl: string, maxResponseBytes?: number): UpstreamClient {
  const client = new UpstreamClient({ sourceId: 'cq', baseUrl, timeoutMs: 20_000, deadlineMs: 20_000, ...(maxResponseBytes ? { maxResponseBytes } : {}) });
  closers.push(() => client.close());
  return client;
}

const rowsSchema = z.looseObject({ data: z.array(z.looseObject({ id: z.string() })) });

async function rejection(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('an upstream body past upstreamMaxBytes', () => {
  it.each([
    ['announced by Content-Length', true],
    ['streamed without a length', false],
  ])('a 50 MB JSON answer %s is UPSTREAM_BAD_RESPONSE, read no further than the cap, RSS bounded', async (_name, declareLength) => {
    const huge = await startHugeServer(50 * MB, declareLength);
    const client = clientFor(huge.baseUrl);
    const before = process.memoryUsage().rss;
    const error = await rejection(client.getJson({ endpoint: 'conversations.list', path: '/rows' }, rowsSchema));
    const grown = process.memoryUsage().rss - before;
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.details.sourceId).toBe('cq');
    expect(error.message).toContain('more than 4194304 bytes');
    expect(error.message).toContain('upstreamMaxBytes');
    // A body read whole would be 50 MB of buffers plus its 50 MB string.
    expect(grown).toBeLessThan(100 * MB);
    await huge.closed;
    // The connection is dropped at the cap: the provider never got to send the rest.
    expect(huge.written()).toBeLessThan(25 * MB);
  });

  it('is not retried: one attempt, even under a retry policy', async () => {
    const huge = await startHugeServer(2 * MB, false);
    const calls: number[] = [];
    const client = new UpstreamClient({ sourceId: 'cq', baseUrl: huge.baseUrl, maxResponseBytes: MB, resilience: { retry: { maxRetries: 2, initialDelayMs: 1 } } });
    closers.push(() => client.close());
    const error = await rejection(client.getJson({ endpoint: 'conversations.list', path: '/rows' }, rowsSchema, { onCall: (call) => calls.push(call.attempt) }));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.retryable).toBe(false);
    expect(calls).toEqual([1]);
  });

  it('an answer within the cap is read and validated as before', async () => {
    const small = await startHugeServer(200 * 1024, true);
    const body = await clientFor(small.baseUrl).getJson({ endpoint: 'conversations.list', path: '/rows' }, rowsSchema);
    expect(body.data.length).toBeGreaterThan(100);
    expect(body.data.at(-1)).toEqual({ id: '2' });
  });
});

describe('more rows than were asked for', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i), tags: ['a', 'b', 'c', 'd'] }));
  const read = (body: unknown, path: string, max = 2) =>
    readPayload('cq', 'list', { status: 200, headers: {}, body: JSON.stringify(body) }, z.unknown(), { rows: { path, max } });

  it('the payload reader cuts the rows array the adapter names, never a resume position or arrays inside rows', () => {
    expect(read(rows(5), '')).toEqual(rows(2));
    expect(read({ data: rows(5), meta: { next_before_position: [1, '2', 3] } }, 'data')).toEqual({ data: rows(2), meta: { next_before_position: [1, '2', 3] } });
    expect(read({ data: { meta: { all_count: 9 }, payload: rows(9) } }, 'data.payload')).toEqual({ data: { meta: { all_count: 9 }, payload: rows(2) } });
    expect(read({ page: 1, conversations: rows(3) }, 'conversations')).toEqual({ page: 1, conversations: rows(2) });
  });

  it('cuts the rows array whatever its rows are: 100,000 nulls or numbers keep the rows asked for', () => {
    const nulls = Array.from({ length: 100_000 }, () => null);
    const numbers = Array.from({ length: 100_000 }, (_, i) => i);
    expect(read({ data: nulls }, 'data', 3)).toEqual({ data: [null, null, null] });
    expect(read({ data: { payload: numbers } }, 'data.payload', 3)).toEqual({ data: { payload: [0, 1, 2] } });
    expect(read({ conversations: [7, ...rows(5)] }, 'conversations', 3)).toEqual({ conversations: [7, ...rows(2)] });
  });

  it('leaves every other array of the envelope whole, even an array of objects beside the rows', () => {
    const links = [{ rel: 'a' }, { rel: 'b' }, { rel: 'c' }, { rel: 'd' }];
    expect(read({ data: rows(5), links }, 'data')).toEqual({ data: rows(2), links });
    expect(read({ data: { payload: rows(5), included: links }, sideloaded: links }, 'data.payload')).toEqual({
      data: { payload: rows(2), included: links },
      sideloaded: links,
    });
    // A path that is not in the body cuts nothing: the schema then says what is missing.
    expect(read({ items: rows(5), more: links }, 'data.payload')).toEqual({ items: rows(5), more: links });
  });

  it('a Carrot quest page asked for 3 rows of 100,000 nulls reads 3 of them, not 100,000', async () => {
    const payload = JSON.stringify({ meta: { status: 200 }, data: Array.from({ length: 100_000 }, () => null) });
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(payload);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const source = createCarrotQuestSource('cq', { baseUrl, appId: '42', token: 'cq-secret-token-123' }, { http: clientFor(baseUrl, 64 * MB), now: () => Date.now() });
    const page = await source.listConversations({ plan: source.planFilter({}), after: null, hint: null, continuation: null, want: 3 }, {});
    expect(page.rows).toEqual([]);
    expect(page.dropped?.map((row) => row.path)).toEqual(['data[0]', 'data[1]', 'data[2]']);
  });

  it('a Carrot quest page asked for 3 rows keeps 3 of the 100,000 the provider sent', async () => {
    const row = (i: number) => ({
      id: String(1000 + i),
      created: 1684700000,
      closed: false,
      last_update: 1684700000 - i,
      tags: [],
      user: { id: `7${i}`, props: { $name: `User ${i}` } },
    });
    const rows = Array.from({ length: 100_000 }, (_, i) => row(i));
    const payload = JSON.stringify({ meta: { status: 200, next_before_position: [1684690000, '99'] }, data: rows });
    const asked: string[] = [];
    const server = createServer((req, res) => {
      asked.push(new URL(req.url ?? '/', 'http://stub').searchParams.get('paginate_count') ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(payload);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const http = clientFor(baseUrl, 64 * MB);
    const source = createCarrotQuestSource('cq', { baseUrl, appId: '42', token: 'cq-secret-token-123' }, { http, now: () => Date.now() });
    const page = await source.listConversations({ plan: source.planFilter({}), after: null, hint: null, continuation: null, want: 3 }, {});
    expect(asked).toEqual(['3']);
    expect(page.rows.map((r) => r.conversation.nativeId)).toEqual(['1000', '1001', '1002']);
    expect(page.included.users).toHaveLength(3);
  });
});

describe('more rows than a numbered page holds', () => {
  /** Serves `body` to every request and records each request's path and query. */
  async function serveAlways(body: string): Promise<{ baseUrl: string; asked: string[] }> {
    const asked: string[] = [];
    const server = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
  }
  const request = (source: { planFilter: (f: object) => import('../../src/providers/adapter.js').FilterPlan }) =>
    ({ plan: source.planFilter({}), after: null, hint: null, continuation: null, want: 100 }) as const;

  it('a Chatwoot page keeps its 25 rows of the 100,000 the provider sent, and says rows were left out', async () => {
    // Every row is a readable conversation, newest first: without the cap each would be mapped.
    const row = (i: number) => ({ id: i + 1, meta: {}, status: 'open', last_activity_at: 1737280000 - i, created_at: 1737200000, inbox_id: 1, labels: [], messages: [] });
    const rows = Array.from({ length: 100_000 }, (_, i) => row(i));
    const stub = await serveAlways(JSON.stringify({ data: { meta: { all_count: 100_000 }, payload: rows } }));
    const http = clientFor(stub.baseUrl, 64 * MB);
    const source = createChatwootSource('cw', { baseUrl: stub.baseUrl, accountId: 1, token: 'cw-secret-token-123' }, { http, now: () => Date.now() });
    const getJson = vi.spyOn(http, 'getJson');
    const page = await source.listConversations(request(source), {});
    // The HTTP layer cuts the rows before they are validated: one more than a page, to see an overflow.
    expect(getJson.mock.calls.map(([asked]) => asked.rows)).toEqual([{ path: 'data.payload', max: 26 }]);
    expect(stub.asked).toHaveLength(1);
    expect(stub.asked[0]).toContain('/api/v1/accounts/1/conversations?');
    expect(page.rows.length).toBeLessThanOrEqual(25);
    expect(page.rows.map((r) => r.conversation.nativeId)).toEqual(Array.from({ length: page.rows.length }, (_, i) => String(i + 1)));
    expect(page.dropped).toEqual([{ path: 'data.payload[25]', problem: expect.stringContaining('more than the 25 rows') }]);
  });

  it('a Re:amaze page keeps its 30 rows of the 100,000 the provider sent, and says rows were left out', async () => {
    const at = (i: number) => new Date(Date.UTC(2024, 2, 1, 12) - i * 1000).toISOString();
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ slug: `c${i}`, updated_at: at(i), created_at: at(200_000), status: 0 }));
    const stub = await serveAlways(JSON.stringify({ page_size: 30, page_count: 3334, total_count: 100_000, conversations: rows }));
    const http = clientFor(stub.baseUrl, 64 * MB);
    const source = createReamazeSource('rz', { email: 'me@example.com', token: 'rz-secret-token-123' }, { http, now: () => Date.now() });
    const getJson = vi.spyOn(http, 'getJson');
    const page = await source.listConversations(request(source), {});
    expect(getJson.mock.calls.map(([asked]) => asked.rows)).toEqual([{ path: 'conversations', max: 31 }]);
    expect(stub.asked).toHaveLength(1);
    expect(stub.asked[0]).toContain('/api/v1/conversations?');
    expect(page.rows.length).toBeLessThanOrEqual(30);
    expect(page.rows.map((r) => r.conversation.nativeId)).toEqual(Array.from({ length: page.rows.length }, (_, i) => `c${i}`));
    expect(page.dropped).toEqual([{ path: 'conversations[30]', problem: expect.stringContaining('more than the 30 rows') }]);
  });

  it('a self-hosted Chatwoot with larger pages is read whole when `pageSize` says so', async () => {
    const row = (i: number) => ({ id: i + 1, meta: {}, status: 'open', last_activity_at: 1737280000 - i, created_at: 1737200000, inbox_id: 1, labels: [], messages: [] });
    const stub = await serveAlways(JSON.stringify({ data: { meta: { all_count: 40 }, payload: Array.from({ length: 40 }, (_, i) => row(i)) } }));
    const http = clientFor(stub.baseUrl);
    const config = chatwootConfigSchema.parse({ baseUrl: stub.baseUrl, accountId: 1, token: 'cw-secret-token-123', pageSize: 50 });
    const source = chatwootAdapter.createSource('cw', config, { http, now: () => Date.now() });
    const page = await source.listConversations(request(source), {});
    expect(page.rows.map((r) => r.conversation.nativeId)).toEqual(Array.from({ length: 40 }, (_, i) => String(i + 1)));
    expect(page.dropped ?? []).toEqual([]);
  });
});

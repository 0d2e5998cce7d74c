import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SourceError } from '../../src/http/errors.js';
import { readPayload } from '../../src/http/payload.js';
import { UpstreamClient } from '../../src/http/upstream-client.js';
import { createCarrotQuestSource } from '../../src/providers/carrotquest/client.js';

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
  it('the payload reader cuts arrays of rows in the envelope, never a resume position or arrays inside rows', () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i), tags: ['a', 'b', 'c', 'd'] }));
    const schema = z.unknown();
    const read = (body: unknown) => readPayload('cq', 'list', { status: 200, headers: {}, body: JSON.stringify(body) }, schema, { maxRows: 2 });
    expect(read(rows(5))).toEqual(rows(2));
    expect(read({ data: rows(5), meta: { next_before_position: [1, '2', 3] } })).toEqual({ data: rows(2), meta: { next_before_position: [1, '2', 3] } });
    expect(read({ data: { meta: { all_count: 9 }, payload: rows(9) } })).toEqual({ data: { meta: { all_count: 9 }, payload: rows(2) } });
    expect(read({ page: 1, conversations: rows(3) })).toEqual({ page: 1, conversations: rows(2) });
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

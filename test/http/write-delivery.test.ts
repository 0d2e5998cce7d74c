import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/http/errors.js';
import { UpstreamClient } from '../../src/http/upstream-client.js';

/** A provider on loopback that records what it received and answers as each test says. */
async function provider(answer: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const received: { method: string; path: string; type: string | undefined; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', path: req.url ?? '', type: req.headers['content-type'], body });
      answer(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { url: `http://127.0.0.1:${port}`, received };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

// Retries are on: a write must still be sent once.
const clientFor = (baseUrl: string, timeoutMs = 2000) =>
  new UpstreamClient({ sourceId: 'src-1', baseUrl, timeoutMs, resilience: { retry: { maxRetries: 3, initialDelayMs: 1 } } });

async function failureOf(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('writes through the upstream client', () => {
  it('sends a JSON body once and a form body once, with their content types', async () => {
    const upstream = await provider((_req, _body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    const client = clientFor(upstream.url);
    await client.request({ endpoint: 'messages.create', path: '/m', method: 'POST', body: { json: { content: 'hi' } } });
    await client.request({ endpoint: 'reply', path: '/r', method: 'POST', body: { form: { body: 'hi there', random_id: 7, skipped: undefined } } });
    expect(upstream.received).toEqual([
      { method: 'POST', path: '/m', type: 'application/json', body: '{"content":"hi"}' },
      { method: 'POST', path: '/r', type: 'application/x-www-form-urlencoded', body: 'body=hi+there&random_id=7' },
    ]);
  });

  it('never retries a write that failed with 5xx, and says it may have been applied', async () => {
    const upstream = await provider((_req, _body, res) => res.writeHead(502).end());
    const error = await failureOf(clientFor(upstream.url).request({ endpoint: 'm', path: '/m', method: 'POST', body: { json: {} } }));
    expect(upstream.received).toHaveLength(1);
    expect(error.details).toMatchObject({ status: 502, maybeApplied: true });
  });

  it('a reset after the provider read the request may have been applied', async () => {
    const upstream = await provider((req) => req.socket.resetAndDestroy());
    const error = await failureOf(clientFor(upstream.url).request({ endpoint: 'm', path: '/m', method: 'PUT', body: { json: {} } }));
    expect(upstream.received).toHaveLength(1);
    expect(error.details.maybeApplied).toBe(true);
  });

  it('a provider that never answers may have applied it; the write is not sent again', async () => {
    const upstream = await provider(() => undefined);
    const error = await failureOf(clientFor(upstream.url, 200).request({ endpoint: 'm', path: '/m', method: 'POST', body: { json: {} } }));
    expect(upstream.received).toHaveLength(1);
    expect(error.details).toMatchObject({ failure: 'timeout', maybeApplied: true });
  });

  it('a refused connection and a 4xx surely did not apply it', async () => {
    const closed = await provider(() => undefined);
    const url = closed.url;
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const refused = await failureOf(clientFor(url).request({ endpoint: 'm', path: '/m', method: 'POST', body: { json: {} } }));
    expect(refused.details).toMatchObject({ failure: 'connection', maybeApplied: false });

    const upstream = await provider((_req, _body, res) => res.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"no"}'));
    const rejected = await failureOf(clientFor(upstream.url).request({ endpoint: 'm', path: '/m', method: 'POST', body: { json: {} } }));
    expect(rejected.details).toMatchObject({ status: 422, maybeApplied: false });
  });

  it('hands the adapter the 4xx answers it asked to read', async () => {
    const upstream = await provider((_req, _body, res) => res.writeHead(400, { 'content-type': 'application/json' }).end('{"meta":{"error":"ConversationTagAlreadyAssigned"}}'));
    const answer = await clientFor(upstream.url).request({ endpoint: 'tag', path: '/t', method: 'POST', body: { form: { tag: 'vip' } }, answerStatuses: [400] });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ meta: { error: 'ConversationTagAlreadyAssigned' } });
  });

  it('reads are still retried (the write rule does not leak into GETs)', async () => {
    let calls = 0;
    const upstream = await provider((_req, _body, res) => (++calls === 1 ? res.writeHead(503).end() : res.writeHead(200).end('{}')));
    await clientFor(upstream.url).request({ endpoint: 'list', path: '/l' });
    expect(upstream.received.map((r) => r.method)).toEqual(['GET', 'GET']);
  });
});

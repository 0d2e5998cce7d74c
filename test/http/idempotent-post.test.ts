import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/http/errors.js';
import { UpstreamClient } from '../../src/http/upstream-client.js';
import { createMemoryKeyValueStore } from '../../src/shared-state/kv-store.js';
import { createSharedLoads } from '../../src/shared-state/shared-loads.js';

/** A read sent as POST (a search whose query is the body) behaves as a read, not as a write. */

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A provider that fails the first `failures` requests with 503, then echoes the body it got. */
async function provider(failures = 0) {
  const received: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push(`${req.method} ${body}`);
      if (received.length <= failures) return res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ got: body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const search = (query: string) =>
  ({ endpoint: 'conversations.search', path: '/search', method: 'POST', idempotent: true, body: { json: { query } } }) as const;

describe('a POST marked idempotent', () => {
  it('is retried after a 5xx, where an unmarked POST is sent once and may have been applied', async () => {
    const retried = await provider(1);
    const client = new UpstreamClient({ sourceId: 'src', baseUrl: retried.url, resilience: { retry: { maxRetries: 2, initialDelayMs: 1 } } });
    const response = await client.request(search('a'));
    expect(response.status).toBe(200);
    expect(retried.received).toEqual(['POST {"query":"a"}', 'POST {"query":"a"}']);

    const once = await provider(1);
    const writer = new UpstreamClient({ sourceId: 'src', baseUrl: once.url, resilience: { retry: { maxRetries: 2, initialDelayMs: 1 } } });
    const error = await writer.request({ ...search('a'), idempotent: false }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).details.maybeApplied).toBe(true);
    expect(once.received).toHaveLength(1);
  });

  it('fails without `maybeApplied` when every attempt fails', async () => {
    const failing = await provider(10);
    const client = new UpstreamClient({ sourceId: 'src', baseUrl: failing.url });
    const error = (await client.request(search('a')).catch((caught: unknown) => caught)) as SourceError;
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(error.details.maybeApplied).toBeUndefined();
  });

  it('is shared between replicas per body: the same search is loaded once, another body is loaded again', async () => {
    const upstream = await provider();
    const sharedLoads = createSharedLoads(createMemoryKeyValueStore(), { holder: 'one' });
    const replicas = [1, 2].map(() => new UpstreamClient({ sourceId: 'src', baseUrl: upstream.url, sharedLoads }));
    const scope = { shareForMs: 60_000 };
    const first = await replicas[0]!.request(search('a'), scope);
    const again = await replicas[1]!.request(search('a'), scope);
    const other = await replicas[1]!.request(search('b'), scope);
    expect(upstream.received).toEqual(['POST {"query":"a"}', 'POST {"query":"b"}']);
    expect(JSON.parse(again.body)).toEqual(JSON.parse(first.body));
    expect(JSON.parse(other.body)).toEqual({ got: '{"query":"b"}' });
  });
});

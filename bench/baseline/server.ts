import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createCursors } from './cursor.js';
import { merge, type SourceFeed } from './merge.js';
import { BASELINE_SOURCES, type BaselineSource } from './registry.js';
import type { InboxFilter } from './shape.js';

/**
 * The benchmark's baseline: a minimal hand-written server over the same simulators. It
 * answers the bench's inbox and thread requests with the same upstream calls and the
 * same JSON as Parley's GraphQL answers, with no GraphQL, no schema validation of
 * payloads, no DataLoaders and no retries: the limit for this design on Node.
 *
 * Reads Parley's config file (`PARLEY_CONFIG`: cursorSecret, sources, maxPagesPerSource)
 * and listens on `BASELINE_PORT`.
 */

const config = JSON.parse(readFileSync(process.env.PARLEY_CONFIG!, 'utf8'));
const cursors = createCursors(config.cursorSecret);
const maxPages: number = config.maxPagesPerSource ?? 5;
const sources = config.sources.map((s: any) => {
  const create = BASELINE_SOURCES[s.provider as keyof typeof BASELINE_SOURCES] as ((source: unknown) => BaselineSource) | undefined;
  if (!create) throw new Error(`the baseline has no source for provider "${String(s.provider)}"`);
  return create(s);
}) as BaselineSource[];

async function inbox(body: { first?: number; after?: string | null; filter?: InboxFilter }) {
  const first = body.first ?? 20;
  const state = body.after ? cursors.decode(body.after) : { after: null, sources: {} };
  const feeds = sources
    .map((source) => source.feed(body.filter ?? {}, state.sources[source.id] ?? null))
    .filter((feed): feed is SourceFeed => feed !== null);
  const page = await merge(feeds, { first, after: state.after, maxPages });
  await Promise.all(feeds.map((feed) => feed.complete?.(page.nodes.filter((node) => node.source === feed.sourceId))));
  return {
    data: {
      conversations: {
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: cursors.encode({ after: page.after, sources: page.sources }) },
        edges: page.nodes.map((node) => ({ node })),
      },
    },
  };
}

async function thread(body: { id: string; first?: number }) {
  const [type, sourceId, nativeId] = Buffer.from(body.id, 'base64').toString('utf8').split(':');
  const source = sources.find((s) => s.id === sourceId);
  if (type !== 'Conversation' || !source || !('thread' in source) || !nativeId) return { data: { conversation: null } };
  return { data: { conversation: await source.thread(decodeURIComponent(nativeId), body.first ?? 20) } };
}

const routes: Record<string, (body: any) => Promise<unknown>> = { '/inbox': inbox, '/thread': thread };

async function handle(req: IncomingMessage, res: ServerResponse) {
  const send = (status: number, payload: unknown) => {
    const text = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  if (req.method === 'GET' && req.url === '/ready') return send(200, { status: 'ready' });
  const route = req.method === 'POST' ? routes[req.url ?? ''] : undefined;
  if (!route) return send(404, { error: 'not found' });
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    send(200, await route(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
  } catch (error) {
    send(400, { error: (error as Error).message });
  }
}

const server = createServer((req, res) => void handle(req, res));
server.keepAliveTimeout = 30_000;
server.listen(Number(process.env.BASELINE_PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});
const stop = () => {
  server.close(() => void Promise.all(sources.map((s) => s.close())).then(() => process.exit(0)));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

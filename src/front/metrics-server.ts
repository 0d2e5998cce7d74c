import { createHash, timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import { ErrorCode } from '../errors/codes.js';
import { SECURITY_HEADERS } from '../plugins/use-security-headers.js';
import { closeServer, createHttpServer, listen } from './http-server.js';
import { pathOf } from './path-of.js';
import { replyError } from './reply.js';

/**
 * `GET /metrics` on its own port, loopback by default: the series show source ids, error
 * codes and other clients' operation names, and a scrape costs CPU, so they stay off the
 * public port. With a `token`, a scrape must carry `Authorization: Bearer <token>`.
 * Scrapes close together share one rendering, so however many clients scrape, the
 * metrics cost the event loop (which GraphQL shares) at most one rendering a second.
 */

/** A rendering this young is served again: scrapers (every 10 s or more) never notice. */
const REUSE_RENDERING_MS = 1000;

export interface MetricsServerOptions {
  registry: Registry;
  /** @default 9464 in config; 0 picks a free port. */
  port: number;
  /** @default '127.0.0.1' in config */
  host: string;
  token?: string | undefined;
  /** Milliseconds, for the age of a rendering. @default performance.now */
  now?: () => number;
}

export interface MetricsServer {
  /** The port bound. */
  port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const expected = options.token === undefined ? null : digest(`Bearer ${options.token}`);
  const now = options.now ?? (() => performance.now());
  let last: { at: number; body: Promise<Buffer> } | null = null;
  const render = (): Promise<Buffer> => {
    const at = now();
    if (last && at - last.at < REUSE_RENDERING_MS) return last.body;
    const current = { at, body: options.registry.metrics().then((text) => Buffer.from(text)) };
    // A failed rendering is not served again.
    current.body.catch(() => (last = last === current ? null : last));
    last = current;
    return current.body;
  };
  const server = createHttpServer((req, res) => {
    if (pathOf(req.url) !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return replyError(res, 404, SECURITY_HEADERS, 'Only GET /metrics is served here.', { code: ErrorCode.NOT_FOUND });
    }
    // Compared as digests in constant time: the token's length and prefix stay unknown.
    if (expected && !timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      return replyError(res, 401, { ...SECURITY_HEADERS, 'www-authenticate': 'Bearer' }, 'A bearer token is required.', { code: ErrorCode.UNAUTHENTICATED });
    }
    render().then(
      (body) => {
        res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': options.registry.contentType, 'content-length': String(body.length) });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => replyError(res, 500, SECURITY_HEADERS, 'Metrics are unavailable.', { code: ErrorCode.INTERNAL_SERVER_ERROR }),
    );
  });
  const port = await listen(server, options.port, options.host);
  return { port, close: () => closeServer(server) };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

import { Pool } from 'undici';
import { ResponseTooLarge } from './errors.js';
import type { UpstreamResponse } from './payload.js';

/** One HTTP exchange, without policy: what `UpstreamClient` asks of the network. */
export interface TransportRequest {
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers: Record<string, string>;
  /** A write's encoded body (its content type is in `headers`). */
  body?: string;
}

export interface Transport {
  /**
   * Sends the request and reads the whole body; rejects when `signal` fires, and with
   * `ResponseTooLarge` (having stopped reading) when the body passes the transport's cap.
   */
  send(request: TransportRequest, signal: AbortSignal): Promise<UpstreamResponse>;
  /** Sockets open and requests running, to check that finished requests hold none. */
  stats(): { connected: number; running: number; pending: number };
  close(): Promise<void>;
}

export interface PoolTransportOptions {
  origin: string;
  connections: number;
  /** The per-attempt timeout; undici's own header and body timeouts are set well behind it. */
  timeoutMs: number;
  /** Bytes of one response body, at most. @default 4194304 */
  maxBytes?: number;
}

/** Bytes of one upstream response body when config does not say (`upstreamMaxBytes`). */
export const DEFAULT_UPSTREAM_MAX_BYTES = 4 * 1024 * 1024;

/** A keep-alive connection pool to one provider origin (undici). */
export function createPoolTransport(options: PoolTransportOptions): Transport {
  const pool = new Pool(options.origin, {
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 10_000,
    // Only a backstop: undici's timers are coarse and may fire early, so the policy's
    // per-attempt timeout (which aborts the request) must always come first.
    headersTimeout: options.timeoutMs * 2 + 1000,
    bodyTimeout: options.timeoutMs * 2 + 1000,
  });
  const maxBytes = options.maxBytes ?? DEFAULT_UPSTREAM_MAX_BYTES;
  return {
    async send(request, signal) {
      const response = await pool.request({ ...request, method: request.method as 'GET', signal });
      // The whole body is read here, so an attempt that returns holds no socket.
      const body = await readCapped(response.body, response.headers['content-length'], maxBytes);
      return { status: response.statusCode, headers: response.headers, body };
    },
    stats: () => ({ connected: pool.stats.connected, running: pool.stats.running, pending: pool.stats.pending }),
    close: () => pool.close(),
  };
}

/**
 * Reads a body as UTF-8 text, up to `maxBytes`: a larger declared length is refused before
 * reading, and a body that grows past the cap while streaming is dropped there, so a hostile
 * provider never makes Parley hold more than the cap.
 */
async function readCapped(body: AsyncIterable<Buffer> & { destroy(error?: Error): unknown }, length: unknown, maxBytes: number): Promise<string> {
  const declared = typeof length === 'string' ? Number(length) : NaN;
  if (declared > maxBytes) {
    body.destroy();
    throw new ResponseTooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body) {
    received += chunk.length;
    if (received > maxBytes) {
      body.destroy();
      throw new ResponseTooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received).toString('utf8');
}

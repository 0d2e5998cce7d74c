import { Pool } from 'undici';
import type { UpstreamResponse } from './payload.js';

/** One HTTP exchange, without policy: what `UpstreamClient` asks of the network. */
export interface TransportRequest {
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers: Record<string, string>;
}

export interface Transport {
  /** Sends the request and reads the whole body; rejects when `signal` fires. */
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
}

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
  return {
    async send(request, signal) {
      const response = await pool.request({ ...request, method: request.method as 'GET', signal });
      // The whole body is read here, so an attempt that returns holds no socket.
      const body = await response.body.text();
      return { status: response.statusCode, headers: response.headers, body };
    },
    stats: () => ({ connected: pool.stats.connected, running: pool.stats.running, pending: pool.stats.pending }),
    close: () => pool.close(),
  };
}

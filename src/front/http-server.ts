import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode } from '../errors/codes.js';

/**
 * The node:http servers Parley listens with, and their timeouts. Each bounds how long a
 * connection may hold server resources without making progress; request bodies have
 * their own, shorter limit in the front door (`limits.bodyTimeoutMs`).
 */
export const SERVER_TIMEOUTS = {
  /** A request's headers must arrive within this (Node's default: 60 s). */
  headersTimeoutMs: 10_000,
  /** A whole request (headers and body) must arrive within this (Node's default: 300 s). */
  requestTimeoutMs: 30_000,
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: 5_000,
  /** How often Node checks the two limits above. */
  checkIntervalMs: 1_000,
} as const;

export function createHttpServer(listener: RequestListener): Server {
  const server = createServer(
    {
      headersTimeout: SERVER_TIMEOUTS.headersTimeoutMs,
      requestTimeout: SERVER_TIMEOUTS.requestTimeoutMs,
      connectionsCheckingInterval: SERVER_TIMEOUTS.checkIntervalMs,
    },
    listener,
  );
  server.keepAliveTimeout = SERVER_TIMEOUTS.keepAliveTimeoutMs;
  return server;
}

export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(
    readonly code: typeof ErrorCode.PORT_IN_USE | typeof ErrorCode.LISTEN_FAILED,
    message: string,
  ) {
    super(message);
  }
}

/** Listens and resolves with the port bound (port 0 picks a free one); a port already taken is a one-line `ListenError`. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new ListenError(ErrorCode.PORT_IN_USE, `port ${port} on ${host} is already in use`));
      else reject(new ListenError(ErrorCode.LISTEN_FAILED, `cannot listen on port ${port} on ${host}: ${error.code ?? error.message}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting, drops idle and open connections, and resolves once closed. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

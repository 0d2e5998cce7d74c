import type { ServerResponse } from 'node:http';

/**
 * Disconnects a client that stops taking its response. Every response on the main port
 * (GraphQL results, GraphiQL and its assets) is watched from the start: once its socket
 * holds output it could not hand to the kernel and `stallMs` pass without any of it going
 * out, the socket is destroyed, so a reader that never reads frees its GraphQL slot and
 * the memory of its answer. Only stalled output counts: a request that is still being read
 * or executed, or a slow reader that keeps reading, is left alone.
 */
export function limitWriteStall(res: ServerResponse, stallMs: number): void {
  // Node's socket timeout is reset by every read and by every piece of a write that goes
  // out (even part of one large write), which is exactly "no progress" here.
  res.setTimeout(stallMs, () => {
    const socket = res.socket;
    if (socket && socket.writableLength > 0) res.destroy();
  });
}

import type { ServerResponse } from 'node:http';

/** A coded GraphQL-style error answered by the front door itself (no Yoga behind it). */
export function replyError(res: ServerResponse, status: number, headers: Record<string, string>, message: string, extensions: Record<string, unknown>) {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify({ errors: [{ message, extensions }] });
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

import type { ServerResponse } from 'node:http';
import type { GraphQLError, GraphQLErrorExtensions } from 'graphql';

/** A coded GraphQL-style error answered by the front door itself (no Yoga behind it). */
export function replyError(res: ServerResponse, status: number, headers: Record<string, string>, message: string, extensions: GraphQLErrorExtensions) {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify({ errors: [{ message, extensions }] });
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** A GraphQLError as Yoga would answer it: `extensions.http` gives the status and headers and is not sent. */
export function replyGraphQLError(res: ServerResponse, headers: Record<string, string>, error: GraphQLError) {
  const { http, ...extensions } = error.extensions;
  replyError(res, http?.status ?? 500, { ...headers, ...http?.headers }, error.message, extensions);
}

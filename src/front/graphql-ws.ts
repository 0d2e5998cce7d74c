import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST, GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { ErrorCode } from '../errors/codes.js';
import type { Logger } from '../ops/log.js';
import { pathOf } from './path-of.js';

/**
 * GraphQL over WebSocket (the `graphql-transport-ws` protocol of `graphql-ws`) on the
 * GraphQL path, for clients that want subscriptions over a socket. A connection names its
 * API key in `connectionParams.authorization` (or the upgrade's `Authorization` header) and
 * is closed at once when the key is unknown. Only subscriptions are served here: queries
 * and mutations go over HTTP, where admission control counts them.
 */

interface Enveloped {
  getEnveloped(context: Record<string, unknown>): {
    schema: ExecutionArgs['schema'];
    parse(source: string): ExecutionArgs['document'];
    validate(schema: ExecutionArgs['schema'], document: ExecutionArgs['document']): readonly GraphQLError[];
    contextFactory(): unknown;
    execute(args: ExecutionArgs): unknown;
    subscribe(args: ExecutionArgs): unknown;
  };
}

export interface WebSocketDoorOptions {
  yoga: Enveloped;
  endpoint: string;
  /** Null when the `Authorization` header value names a key (always null without keys), else why not. */
  refusal(authorization: string | undefined): GraphQLError | null;
  logger: Logger;
}

export interface WebSocketDoor {
  /** For the HTTP server's `upgrade` event. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

type Root = { execute(args: ExecutionArgs): never; subscribe(args: ExecutionArgs): never };

export function createWebSocketDoor(options: WebSocketDoorOptions): WebSocketDoor {
  const sockets = new WebSocketServer({ noServer: true });
  const authorizationOf = (params: Record<string, unknown> | undefined, req: IncomingMessage) =>
    typeof params?.authorization === 'string' ? params.authorization : req.headers.authorization;

  useServer<Record<string, unknown> | undefined, { request: IncomingMessage }>(
    {
      onConnect: (ctx) => options.refusal(authorizationOf(ctx.connectionParams, ctx.extra.request)) === null,
      execute: (args) => (args.rootValue as Root).execute(args),
      subscribe: (args) => (args.rootValue as Root).subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        const authorization = authorizationOf(ctx.connectionParams, ctx.extra.request);
        const closed = new AbortController();
        ctx.extra.request.socket.once('close', () => closed.abort());
        // The context factory reads the caller from a request, as it does over HTTP.
        const request = new Request(`http://parley${options.endpoint}`, { method: 'POST', headers: authorization ? { authorization } : {}, signal: closed.signal });
        const enveloped = options.yoga.getEnveloped({ ...ctx, request, params: payload });
        let document: ExecutionArgs['document'];
        try {
          document = enveloped.parse(payload.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        if (getOperationAST(document, payload.operationName)?.operation !== 'subscription') {
          return [new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP.', { extensions: { code: ErrorCode.BAD_REQUEST } })];
        }
        return {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
      },
    },
    sockets,
  );

  return {
    upgrade(req, socket, head) {
      if (pathOf(req.url) !== options.endpoint) {
        socket.destroy();
        return;
      }
      sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
    },
    close: () =>
      new Promise((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close(() => resolve());
      }),
  };
}

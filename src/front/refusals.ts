import type { GraphQLError } from 'graphql';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../errors/codes.js';
import type { FrontDoorOptions } from './front-door-options.js';
import { hasBody, type BodyError } from './read-body.js';
import { replyError, replyGraphQLError } from './reply.js';

/** The front door's own answers: a path with nothing, a missing key, a key past its rate limit, a body refused. */
export interface Refusals {
  notFound(req: IncomingMessage, res: ServerResponse): void;
  unauthenticated(req: IncomingMessage, res: ServerResponse, error: GraphQLError): void;
  tooMany(req: IncomingMessage, res: ServerResponse, retryAfter: number): void;
  refuse(req: IncomingMessage, res: ServerResponse, error: BodyError): void;
}

export function createRefusals(options: Pick<FrontDoorOptions, 'endpoint' | 'body' | 'headers' | 'onRefused' | 'logger'>): Refusals {
  const { endpoint, body, logger } = options;

  /** The answer's headers; an unread body cannot be skipped cheaply, so the connection ends with the answer. */
  function answerHeaders(req: IncomingMessage, extra: Record<string, string> = {}): Record<string, string> {
    const headers = { ...options.headers(req), ...extra };
    if (hasBody(req)) headers.connection = 'close';
    return headers;
  }

  function notFound(req: IncomingMessage, res: ServerResponse) {
    replyError(res, 404, answerHeaders(req), `Nothing is served at this path: GraphQL is at ${endpoint}.`, { code: ErrorCode.NOT_FOUND });
  }

  function unauthenticated(req: IncomingMessage, res: ServerResponse, error: GraphQLError) {
    options.onRefused?.(String(error.extensions.code));
    replyGraphQLError(res, answerHeaders(req), error);
  }

  function tooMany(req: IncomingMessage, res: ServerResponse, retryAfter: number) {
    options.onRefused?.(ErrorCode.RATE_LIMITED);
    logger.debug({ code: ErrorCode.RATE_LIMITED, retryAfter }, 'request refused: its API key is past its rate limit');
    replyError(
      res,
      429,
      answerHeaders(req, { 'retry-after': String(retryAfter) }),
      `this API key made more requests than its rate limit allows (config \`apiKeys[].rateLimit\`); retry in ${retryAfter} s`,
      { code: ErrorCode.RATE_LIMITED, retryAfter },
    );
  }

  function refuse(req: IncomingMessage, res: ServerResponse, error: BodyError) {
    if (error.reason === 'aborted') {
      // The client went away mid-body: nothing to answer and nothing wrong on this side.
      return logger.debug({ code: ErrorCode.REQUEST_ABORTED }, 'client abandoned its request body');
    }
    // The rest of the body is not read: the connection cannot carry another request.
    const close = { ...options.headers(req), connection: 'close' };
    if (error.reason === 'too-large') {
      options.onRefused?.(ErrorCode.BAD_USER_INPUT);
      return replyError(res, 413, close, `The request body is larger than ${body.maxBytes} bytes.`, {
        code: ErrorCode.BAD_USER_INPUT,
        limit: 'bodyBytes',
        max: body.maxBytes,
      });
    }
    options.onRefused?.(ErrorCode.REQUEST_TIMEOUT);
    replyError(res, 408, close, `The request body did not arrive within ${body.timeoutMs} ms.`, {
      code: ErrorCode.REQUEST_TIMEOUT,
      limit: 'bodyTimeoutMs',
      max: body.timeoutMs,
    });
  }

  return { notFound, unauthenticated, tooMany, refuse };
}

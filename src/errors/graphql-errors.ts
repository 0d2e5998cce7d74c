import { GraphQLError, type GraphQLErrorExtensions } from 'graphql';
import { ErrorCode } from './codes.js';
import { SourceError } from '../http/errors.js';
import { clampRetryAfter } from '../http/retry-after.js';

/**
 * Every error Parley raises on purpose is a GraphQLError with a stable `extensions.code`
 * (design.md section 6); anything else is masked as INTERNAL_SERVER_ERROR.
 */
export function badUserInput(message: string, extensions: Omit<GraphQLErrorExtensions, 'code'> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...extensions } });
}

/** Failures of Parley's own code while serving a source, by the error the client sees; `useSourceErrors` logs them. */
const unexpectedCauses = new WeakMap<GraphQLError, unknown>();

/** The non-provider error behind a source failure (or a GraphQL error wrapping one), if it was one. */
export function unexpectedCauseOf(error: unknown): unknown {
  for (let current = error; current instanceof GraphQLError; current = current.originalError) {
    if (unexpectedCauses.has(current)) return unexpectedCauses.get(current);
  }
  return undefined;
}

/** A source's failure as the client sees it: coded, attributed, never the upstream body. */
export function sourceFailure(error: unknown, sourceId: string, path?: ReadonlyArray<string | number>): GraphQLError {
  if (!(error instanceof SourceError)) {
    // A bug (a TypeError in a mapper, say) is not the provider's fault: say so, and keep it for the log.
    const failure = new GraphQLError(`Source "${sourceId}": Parley failed while serving this source`, {
      ...(path ? { path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, source: sourceId, retryable: false },
    });
    unexpectedCauses.set(failure, error);
    return failure;
  }
  return new GraphQLError(`Source "${sourceId}": ${error.message}`, {
    ...(path ? { path } : {}),
    extensions: {
      code: error.code,
      source: sourceId,
      retryable: error.retryable,
      ...(error.details.retryAfter !== undefined ? { retryAfter: clampRetryAfter(error.details.retryAfter) } : {}),
      ...(error.details.limit ? { limit: error.details.limit.name, max: error.details.limit.max } : {}),
    },
  });
}

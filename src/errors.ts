import { GraphQLError } from 'graphql';
import { SourceError } from './http/errors.js';

/**
 * Every error Parley raises on purpose is a GraphQLError with a stable `extensions.code`
 * (design.md section 6); anything else is masked as INTERNAL_SERVER_ERROR.
 */
export function badUserInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extensions } });
}

/** A source's failure as the client sees it: coded, attributed, never the upstream body. */
export function sourceFailure(error: unknown, sourceId: string, path?: ReadonlyArray<string | number>): GraphQLError {
  const coded =
    error instanceof SourceError
      ? error
      : new SourceError('UPSTREAM_BAD_RESPONSE', 'the provider answered in a way Parley could not read', { sourceId });
  return new GraphQLError(`Source "${sourceId}": ${coded.message}`, {
    ...(path ? { path } : {}),
    extensions: {
      code: coded.code,
      source: sourceId,
      retryable: coded.retryable,
      ...(coded.details.retryAfter !== undefined ? { retryAfter: coded.details.retryAfter } : {}),
    },
  });
}

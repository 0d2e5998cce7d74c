import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RequestContext } from '../gateway/context.js';
import { unexpectedCauseOf } from '../errors/graphql-errors.js';

/**
 * Sources that fail or are skipped do not fail the query: their edges are missing and
 * `sources` says so. This adds one `errors` entry per such source next to the data, so
 * a client that only reads `errors` still learns what is missing and why.
 *
 * A failure that was Parley's own (a bug in an adapter, not the provider's answer) is
 * logged here with its stack, once per request and cause: the client sees only its code.
 */
export function useSourceErrors(): Plugin<RequestContext> {
  return {
    onExecute() {
      return {
        onExecuteDone({ args, result, setResult }) {
          if (!result || Symbol.asyncIterator in result) return;
          const context = args.contextValue as RequestContext;
          const extra = context.sourceErrors;
          const errors = [...(result.errors ?? []), ...extra];
          logUnexpected(context, errors);
          if (extra.length > 0) setResult({ ...result, errors });
        },
      };
    },
  };
}

function logUnexpected(context: RequestContext, errors: readonly GraphQLError[]): void {
  const logged = new Set<unknown>();
  for (const error of errors) {
    const cause = unexpectedCauseOf(error);
    if (cause === undefined || logged.has(cause)) continue;
    logged.add(cause);
    const err = cause instanceof Error ? cause : new Error(String(cause));
    context.gateway.logger.error(
      { err, source: error.extensions.source, path: error.path?.join('.'), requestId: context.requestId },
      'unexpected error in Parley while serving a source',
    );
  }
}

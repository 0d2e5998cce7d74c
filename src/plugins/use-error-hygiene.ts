import { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Redactor } from '../auth/secrets.js';
import { ErrorCode } from '../errors/codes.js';

/**
 * The last look at every error before it leaves (design.md section 6): each one carries a
 * stable `extensions.code`, no message quotes a configured secret or runs on for pages
 * (graphql-js echoes whatever value it was sent), no message suggests schema names when
 * introspection is off, and outside development no error carries a stack or the original
 * error's internals.
 */

const MAX_MESSAGE = 500;
/** Extensions that describe Parley's insides rather than the client's request. */
const INTERNAL_EXTENSIONS = ['originalError', 'stacktrace', 'exception'];

/** graphql-js's suggestions ("Did you mean the enum value "OPEN"?") name schema parts. */
const SUGGESTION = /Did you mean [^?]*\?/g;

export function useErrorHygiene(options: { redactor: Redactor; isDev: boolean; hideSuggestions: boolean }): Plugin {
  const clean = (error: GraphQLError): GraphQLError => {
    const extensions: Record<string, unknown> = { ...error.extensions };
    const original = extensions.originalError;
    if (!options.isDev) for (const key of INTERNAL_EXTENSIONS) delete extensions[key];
    // Yoga answers an application/json client with the error's own status (400 for a body that is
    // not JSON) when the original error was not a GraphQL error; that holds once the original is gone.
    const http = extensions.http as { spec?: boolean } | undefined;
    if (!options.isDev && original !== undefined && !(original instanceof GraphQLError) && http?.spec) extensions.http = { ...http, spec: false };
    extensions.code ??= codeFor(error);
    let message = options.redactor.text(error.message);
    // Validation errors are masked by graphql-armor already; variable and enum errors arrive here unmasked.
    if (options.hideSuggestions) message = message.replace(SUGGESTION, '[Suggestion hidden]');
    if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE)}…`;
    return new GraphQLError(message, {
      nodes: error.nodes ?? null,
      source: error.source ?? null,
      positions: error.positions ?? null,
      path: error.path ?? null,
      extensions,
    });
  };

  return {
    onResultProcess({ result, setResult }) {
      if (isAsyncIterable(result)) return;
      const results = Array.isArray(result) ? result : [result];
      if (!results.some((r) => r.errors?.length)) return;
      const cleaned = results.map((r) => (r.errors?.length ? { ...r, errors: r.errors.map((e) => clean(asGraphQLError(e))) } : r));
      setResult(Array.isArray(result) ? cleaned : cleaned[0]!);
    },
  };
}

function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const { message = 'Unexpected error.', extensions } = (error ?? {}) as { message?: string; extensions?: Record<string, unknown> };
  return new GraphQLError(message, { extensions: extensions ?? {} });
}

/** Errors raised without a code: Pothos's global-id checks are about the client's input, CSRF refusals are 403s. */
function codeFor(error: GraphQLError): ErrorCode {
  const original = error.originalError as (Error & { name?: string }) | undefined;
  if (error.name === 'PothosValidationError' || original?.name === 'PothosValidationError') return ErrorCode.BAD_USER_INPUT;
  const status = (error.extensions.http as { status?: number } | undefined)?.status;
  if (status === 401) return ErrorCode.UNAUTHENTICATED;
  if (status === 403) return ErrorCode.FORBIDDEN;
  if (status !== undefined && status >= 400 && status < 500) return ErrorCode.BAD_REQUEST;
  if (/^Syntax Error/.test(error.message)) return ErrorCode.GRAPHQL_PARSE_FAILED;
  if (error.nodes?.length && !error.path) return ErrorCode.GRAPHQL_VALIDATION_FAILED;
  return ErrorCode.INTERNAL_SERVER_ERROR;
}

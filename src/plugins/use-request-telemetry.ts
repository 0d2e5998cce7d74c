import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import type { RequestContext } from '../gateway/context.js';
import { ErrorCode } from '../errors/codes.js';
import type { Logger } from '../ops/log.js';
import { ANONYMOUS_OPERATION, UNKNOWN_OPERATION, type Metrics } from '../ops/metrics.js';
import { REQUEST_ID_HEADER, requestIdFor } from '../ops/request-id.js';

/**
 * Every response carries its request id in `x-request-id`. Every GraphQL request (anything
 * that produced a GraphQL result, refusals included) ends with one `graphql request` log
 * line and its duration and error codes in the metrics, labelled by operation name.
 *
 * Listed after `useErrorHygiene`: error codes are read once it has given each error one.
 */

interface RequestState {
  started: number;
  operation: string;
  /** Set when the request produced a GraphQL result; probes and GraphiQL pages never do. */
  errorCodes: string[] | null;
  /** The request's upstream call log (not the context: the state lives in a WeakMap, see `useRequestRelease`). */
  calls?: readonly unknown[];
}

export function useRequestTelemetry(options: { logger: Logger; metrics: Metrics | null }): Plugin<RequestContext> {
  const { logger, metrics } = options;
  const states = new WeakMap<Request, RequestState>();
  return {
    onRequest({ request }) {
      states.set(request, { started: performance.now(), operation: UNKNOWN_OPERATION, errorCodes: null });
    },
    onParse({ context }) {
      const { request, params } = context as Partial<YogaInitialContext>;
      return ({ result }) => {
        const state = request && states.get(request);
        if (state && !(result instanceof Error)) state.operation = operationName(result as DocumentNode, params?.operationName);
      };
    },
    onExecute({ args }) {
      const context = args.contextValue as RequestContext & Partial<YogaInitialContext>;
      const state = context.request && states.get(context.request);
      if (state) state.calls = context.calls;
    },
    onResultProcess({ request, result }) {
      const state = states.get(request);
      if (!state || isAsyncIterable(result)) return;
      const results: ExecutionResult[] = Array.isArray(result) ? result : [result];
      state.errorCodes = results.flatMap((r) => r.errors ?? []).map((error) => String(error.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR));
    },
    onResponse({ request, response }) {
      const requestId = requestIdFor(request);
      response.headers.set(REQUEST_ID_HEADER, requestId);
      const state = states.get(request);
      if (!state || state.errorCodes === null) return;
      const ms = performance.now() - state.started;
      const codes = state.errorCodes;
      metrics?.onGraphQLRequest(state.operation, ms / 1000, codes);
      if (!logger.isLevelEnabled('info')) return;
      logger.info(
        {
          reqId: requestId,
          operation: state.operation,
          status: response.status,
          durationMs: Math.round(ms),
          errors: codes.length,
          ...(codes.length > 0 ? { codes: [...new Set(codes)] } : {}),
          upstreamCalls: state.calls?.length ?? 0,
        },
        'graphql request',
      );
    },
  };
}

function operationName(document: DocumentNode, requested: string | undefined): string {
  return getOperationAST(document, requested)?.name?.value ?? ANONYMOUS_OPERATION;
}

import { isAsyncIterable, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import type { RequestContext } from '../gateway/context.js';
import { buildTrace } from '../ops/trace.js';

/**
 * Adds `extensions.upstream` (src/ops/trace.ts) to a response when the request asks for
 * it, with `extensions: { trace: true }` in the GraphQL body or an `x-parley-trace: 1`
 * header, so a developer can see why a page was slow. Any caller may ask: the trace holds
 * endpoint labels, statuses and timings of the sources that caller may read, nothing else.
 */

export const TRACE_HEADER = 'x-parley-trace';

export function useUpstreamTrace(): Plugin<RequestContext> {
  return {
    onExecute({ args }) {
      const context = args.contextValue as RequestContext & Partial<YogaInitialContext>;
      if (!wantsTrace(context)) return;
      return {
        onExecuteDone({ result, setResult }) {
          if (!result || isAsyncIterable(result)) return;
          const upstream = buildTrace(context.requestId, context.now, context.gateway.sources.keys(), context.calls, context.cacheLookups);
          setResult({ ...result, extensions: { ...result.extensions, upstream } });
        },
      };
    },
  };
}

function wantsTrace(context: Partial<YogaInitialContext>): boolean {
  return context.params?.extensions?.trace === true || context.request?.headers.get(TRACE_HEADER) === '1';
}

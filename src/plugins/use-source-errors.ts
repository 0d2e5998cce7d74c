import type { Plugin } from 'graphql-yoga';
import type { RequestContext } from '../context.js';

/**
 * Sources that fail or are skipped do not fail the query: their edges are missing and
 * `sources` says so. This adds one `errors` entry per such source next to the data, so
 * a client that only reads `errors` still learns what is missing and why.
 */
export function useSourceErrors(): Plugin<RequestContext> {
  return {
    onExecute() {
      return {
        onExecuteDone({ args, result, setResult }) {
          const extra = (args.contextValue as RequestContext).sourceErrors;
          if (extra.length === 0 || !result || Symbol.asyncIterator in result) return;
          setResult({ ...result, errors: [...(result.errors ?? []), ...extra] });
        },
      };
    },
  };
}

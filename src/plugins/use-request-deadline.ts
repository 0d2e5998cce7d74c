import type { Plugin } from 'graphql-yoga';
import type { RequestContext } from '../context.js';

/**
 * The request context starts a timer that fires the request's signal at its deadline
 * (design.md section 7). Once execution is done nothing can still be waiting on it, so
 * the timer is cleared here: a finished request leaves no timer behind.
 */
export function useRequestDeadline(): Plugin<RequestContext> {
  return {
    onExecute({ args }) {
      const context = args.contextValue as RequestContext;
      return {
        onExecuteDone() {
          context.dispose();
        },
      };
    },
  };
}

import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from './config.js';
import { createRequestContext, type RequestContext } from './context.js';
import { createGateway, type Gateway } from './gateway.js';
import { useInputErrorCodes } from './plugins/use-input-error-codes.js';
import { useSourceErrors } from './plugins/use-source-errors.js';
import { schema } from './schema/index.js';
import { EXAMPLE_QUERY } from './example-queries.js';

export interface Parley {
  yoga: YogaServerInstance<Record<string, never>, RequestContext>;
  gateway: Gateway;
  close(): Promise<void>;
}

/** The Yoga app over a gateway. Tests drive it with `yoga.fetch`; `server.ts` listens with it. */
export function createParley(config: Config): Parley {
  const gateway = createGateway(config);
  const yoga = createYoga<Record<string, never>, RequestContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // GraphiQL's assets are served from the package, never a CDN: these machines are offline.
    renderGraphiQL,
    graphiql: config.graphiql ? { title: 'Parley', defaultQuery: EXAMPLE_QUERY } : false,
    context: ({ request }) => createRequestContext(gateway, { signal: request.signal }),
    plugins: [useInputErrorCodes(), useSourceErrors()],
  });
  return { yoga, gateway, close: () => gateway.close() };
}

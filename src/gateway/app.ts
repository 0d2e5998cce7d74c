import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { RequestListener } from 'node:http';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { createAdmission, type Admission } from '../ops/admission.js';
import { createApiKeyAuth, type ApiKeyAuth } from '../auth/api-keys.js';
import { createRedactingLogger, redactorFor } from '../auth/secrets.js';
import { parseActAs } from '../config/api-keys.js';
import type { Config } from '../config/schema.js';
import { createRequestContext, type RequestContext } from './context.js';
import { createAnswerHeaders } from '../front/answer-headers.js';
import { createFrontDoor } from '../front/front-door.js';
import { createGraphiQLRoute } from '../front/graphiql-route.js';
import { createWebSocketDoor, type WebSocketDoor } from '../front/graphql-ws.js';
import { createLiveWebhooks } from '../live/live-webhooks.js';
import { liveOf } from '../live/live-service.js';
import { createGateway, type Gateway, type GatewayOptions } from './gateway.js';
import { yogaLogger } from '../ops/log.js';
import { UNKNOWN_OPERATION } from '../ops/metrics.js';
import { requestIdFor } from '../ops/request-id.js';
import { useApiKeys } from '../plugins/use-api-keys.js';
import { useCors } from '../plugins/use-cors.js';
import { useErrorHygiene } from '../plugins/use-error-hygiene.js';
import { useHealth } from '../plugins/use-health.js';
import { useInputErrorCodes } from '../plugins/use-input-error-codes.js';
import { useQueryLimits } from '../plugins/use-query-limits.js';
import { GRAPHIQL_CSP, SECURITY_HEADERS, useSecurityHeaders } from '../plugins/use-security-headers.js';
import { useRequestRelease } from '../plugins/use-request-release.js';
import { useRequestTelemetry } from '../plugins/use-request-telemetry.js';
import { useSourceErrors } from '../plugins/use-source-errors.js';
import { useUpstreamTrace } from '../plugins/use-upstream-trace.js';
import { schema } from '../schema/index.js';
import { EXAMPLE_QUERY, graphiqlDefaults } from '../front/example-queries.js';

export interface Parley {
  yoga: YogaServerInstance<Record<string, never>, RequestContext>;
  /**
   * What the main node:http server serves: the front door (GraphiQL, the one GraphQL path,
   * API keys and their rate limits, request bodies read in full, the write stall limit)
   * before Yoga behind admission control. `yoga` alone has none of these front-door checks.
   */
  listener: RequestListener;
  /** Whether the main port serves GraphiQL (`config.graphiql`, else only without API keys). */
  graphiql: boolean;
  admission: Admission;
  gateway: Gateway;
  /** GraphQL over WebSocket (subscriptions): the main server's `upgrade` listener. */
  sockets: WebSocketDoor;
  close(): Promise<void>;
}

/** How often the adaptive admission limit reads the event loop's utilization. */
const ADMISSION_SAMPLE_MS = 50;
const GRAPHQL_ENDPOINT = '/graphql';
/** Yoga's liveness and our readiness: no key, and they must answer while GraphQL is busy. */
const PROBES: ReadonlySet<string> = new Set(['/health', '/ready']);

export type ParleyOptions = GatewayOptions;

/** The Yoga app over a gateway. Tests drive it with `yoga.fetch`; `server.ts` listens with it. */
export function createParley(config: Config, options: ParleyOptions = {}): Parley {
  const gateway = createGateway(config, Date.now, options);
  // With `redis`, a key's requests are counted across replicas.
  const auth = createApiKeyAuth(
    config.apiKeys?.map((apiKey) => ({ ...apiKey, actAs: parseActAs(apiKey.actAs, config.sources) })),
    gateway.sources.keys(),
    { rateLimiters: gateway.shared.requestRateLimiter, anonymousActAs: parseActAs(config.actAs, config.sources) },
  );
  const yoga = createYogaServer(config, gateway, auth);
  const { adaptive, minConcurrent, ...admissionLimits } = config.admission;
  const answerHeaders = createAnswerHeaders(SECURITY_HEADERS, config.cors);
  const admission = createAdmission({
    ...admissionLimits,
    adaptive: adaptive ? { minConcurrent, sampleMs: ADMISSION_SAMPLE_MS } : null,
    bypass: PROBES,
    // Without keys (loopback only) the client's address tells callers apart.
    callerOf: (req) => auth.admissionGroup(req.headers.authorization) ?? req.socket.remoteAddress ?? '',
    headers: answerHeaders,
    ...(gateway.metrics ? { onRefused: gateway.metrics.onAdmissionRefused } : {}),
  });
  gateway.metrics?.watchAdmission(admission.stats);
  // GraphiQL's page holds no data, but with keys configured nothing is public unless asked for.
  const graphiql = config.graphiql ?? !config.apiKeys;
  const listener = createListener({ config, gateway, auth, yoga, admission, answerHeaders, graphiql });
  const sockets = createWebSocketDoor({ yoga, endpoint: GRAPHQL_ENDPOINT, refusal: auth.refusal, logger: gateway.logger });
  // The sweeps, polls and feeds of every source (src/live/); a write Parley made is a change to look at now.
  const live = liveOf(gateway);
  live.start();
  const stopWriteHints = gateway.writes.events.onConversationWritten((change) => live.noteWrite(change));
  return {
    yoga,
    listener,
    graphiql,
    admission,
    gateway,
    sockets,
    close: async () => {
      admission.close();
      stopWriteHints();
      await Promise.all([sockets.close(), live.close()]);
      return gateway.close();
    },
  };
}

/** Yoga and its plugins: GraphQL only, behind the front door. */
function createYogaServer(config: Config, gateway: Gateway, auth: ApiKeyAuth): Parley['yoga'] {
  const redactor = redactorFor(config);
  // Stacks and original errors reach clients only when a developer asks for them.
  const isDev = process.env.NODE_ENV === 'development';
  const security = [
    useSecurityHeaders(),
    // Browsers may send "simple" requests cross-site; those must carry a header a form cannot set.
    useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'authorization'] }),
    useApiKeys(auth),
    ...(config.introspection ? [] : [useDisableIntrospection(), blockFieldSuggestionsPlugin()]),
    ...useQueryLimits(config.limits),
  ];
  return createYoga<Record<string, never>, RequestContext>({
    schema,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    landingPage: false,
    // The front door serves GraphiQL (src/front/graphiql-route.ts), and `useCors` replaces Yoga's permissive CORS.
    graphiql: false,
    cors: false,
    batching: false,
    // The front door reads every body within `limits.bodyBytes` before Yoga sees it. Yoga's own
    // limit (25 MB by default) would pipe every body through a transform stream once more.
    maxRequestBodySize: false,
    maskedErrors: { isDev },
    logging: createRedactingLogger(redactor, undefined, yogaLogger(gateway.logger)),
    context: ({ request }) =>
      createRequestContext(gateway, {
        signal: request.signal,
        allowedSources: auth.sourcesFor(request),
        caller: auth.callerFor(request),
        writeAccess: auth.writeAccessFor(request),
        requestId: requestIdFor(request),
      }),
    // CORS first (it answers preflights), then probes: they need no key and must not reach GraphQL. Telemetry last: it reads the final error codes.
    plugins: [
      useCors(config.cors),
      useHealth(gateway),
      ...security,
      useInputErrorCodes(),
      useRequestRelease(),
      useSourceErrors(),
      useUpstreamTrace(),
      useErrorHygiene({ redactor, isDev, hideSuggestions: !config.introspection }),
      useRequestTelemetry({ logger: gateway.logger, metrics: gateway.metrics }),
    ],
  });
}

interface ListenerParts {
  config: Config;
  gateway: Gateway;
  auth: ApiKeyAuth;
  yoga: Parley['yoga'];
  admission: Admission;
  answerHeaders: ReturnType<typeof createAnswerHeaders>;
  graphiql: boolean;
}

/** The front door over Yoga: GraphiQL, the one GraphQL path, keys and rate limits, bodies read in full. */
function createListener({ config, gateway, auth, yoga, admission, answerHeaders, graphiql }: ListenerParts): RequestListener {
  return createFrontDoor({
    direct: yoga,
    admitted: admission.wrap(yoga),
    webhooks: createLiveWebhooks(gateway, answerHeaders),
    graphiql: graphiql
      ? createGraphiQLRoute({
          endpoint: GRAPHQL_ENDPOINT,
          title: 'Parley',
          defaultQuery: EXAMPLE_QUERY,
          ...graphiqlDefaults({ apiKeys: config.apiKeys !== undefined }),
          headers: SECURITY_HEADERS,
          pageHeaders: { 'content-security-policy': GRAPHIQL_CSP },
          logger: gateway.logger,
        })
      : null,
    endpoint: GRAPHQL_ENDPOINT,
    probes: PROBES,
    authenticate: auth.required ? auth.refusal : null,
    throttle: auth.rateLimited ? auth.throttle : null,
    body: { maxBytes: config.limits.bodyBytes, timeoutMs: config.limits.bodyTimeoutMs },
    stallMs: config.limits.responseStallMs,
    headers: answerHeaders,
    // Counted as GraphQL requests refused before their operation was read, as Yoga's own refusals are.
    onRefused: (code) => gateway.metrics?.onGraphQLRequest(UNKNOWN_OPERATION, 0, [code]),
    logger: gateway.logger,
  });
}

import type { GraphQLError } from 'graphql';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../ops/log.js';
import type { BodyLimits } from './read-body.js';

export interface FrontDoorOptions {
  /** Yoga, unqueued: for CORS preflights, which are answered without GraphQL. */
  direct: RequestListener;
  /** Yoga behind admission control. */
  admitted: RequestListener;
  /** Answers the request and returns true when it is a webhook delivery (src/front/webhook-door.ts). @default none */
  webhooks?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Answers the request and returns true when it is GraphiQL's; null when GraphiQL is off. */
  graphiql: ((req: IncomingMessage, res: ServerResponse) => boolean) | null;
  /**
   * The one path GraphQL is served at, matched exactly: Yoga alone would also serve any
   * path that ends with it (`/graphql/`, `/x/graphql`), past the key and rate limit checks.
   */
  endpoint: string;
  /** Paths Yoga answers without GraphQL and without a key (liveness, readiness). */
  probes: ReadonlySet<string>;
  /** The 401 for a request whose `Authorization` header names no key; null when no key is required. */
  authenticate: ((authorization: string | undefined) => GraphQLError | null) | null;
  /**
   * Counts a request with this `Authorization` header against its caller's rate limit:
   * the seconds it must wait when past it, else null. Null when no key has a rate limit.
   */
  throttle: ((authorization: string | undefined) => Promise<number | null>) | null;
  body: BodyLimits;
  /** A response whose client takes none of it for this long is dropped (src/front/write-stall.ts). */
  stallMs: number;
  /** Headers for the answers given here (src/front/answer-headers.ts). */
  headers: (req: IncomingMessage) => Record<string, string>;
  /** Told of each GraphQL request answered here with an error instead of being passed on, with its code. */
  onRefused?: (code: string) => void;
  logger: Logger;
}

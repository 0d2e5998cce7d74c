import type { IncomingMessage } from 'node:http';

/** What a simulator route sees of a request. */
export interface SimRequest {
  method: string;
  path: string;
  params: Record<string, string | undefined>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /**
   * The body of POST/PUT/PATCH/DELETE requests: parsed JSON, or for
   * `application/x-www-form-urlencoded` a `URLSearchParams`; other text as a string.
   */
  body: unknown;
}

export interface SimResponse {
  status: number;
  /** Objects are sent as JSON; strings as they are. */
  body: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (request: SimRequest) => SimResponse;

/** How a provider words the errors the fault plan injects (each provider has its own bodies). */
export interface ErrorBodies {
  serverError(status: number): SimResponse;
  rateLimited(retryAfter: string): SimResponse;
  notFound(): SimResponse;
}

/** One request the simulator answered, for tests and the benchmark to count upstream calls. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  status: number | 'hang' | 'reset';
  /** For a fault with `afterCommit`: the status the carried-out request had before its answer was lost. */
  committed?: number;
}

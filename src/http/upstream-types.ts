import type { CallBudget } from '../limits/upstream-budget.js';
import type { FailureKind } from './errors.js';
import type { RowsCap } from './payload.js';

/** The shapes of upstream calls: what adapters ask for and what a request sees of them. */

/** What one upstream attempt looked like, for the request's call log, tests and metrics. */
export interface UpstreamCall {
  sourceId: string;
  endpoint: string;
  status: number | null;
  durationMs: number;
  /** 1 for the first attempt of a call, 2 for its first retry, ... */
  attempt: number;
  /** The error code, when the attempt failed. */
  error?: string;
  /** What went wrong underneath the code (`server`, `timeout`, `connection`, ...). */
  failure?: FailureKind;
  /** Epoch milliseconds (fractional) when the attempt started. */
  startedAt: number;
}

/** One read of a cross-request list cache (`ListCache`), for the request's trace and metrics. */
export interface CacheLookup {
  sourceId: string;
  /** The endpoint label of the list the cache holds, e.g. `channels.list`. */
  cache: string;
  /** Answered without starting a load (a fresh value, or a load another caller started). */
  hit: boolean;
}

/**
 * Sees every attempt and circuit change of one source, whatever request (or none) made
 * it: the gateway's metrics. Request-scoped observers go in the `CallScope` instead.
 */
export interface UpstreamObserver {
  onAttempt(call: UpstreamCall): void;
  onCircuitOpen(sourceId: string): void;
  /** A call refused without being made: its source's quota had no call left before the deadline. */
  onQuotaRefused?(sourceId: string): void;
}

/** Request-scoped things every upstream call needs: cancellation, the deadline, a place to log. */
export interface CallScope {
  /** Fires when the client goes away (and, from the request context, at the deadline). */
  signal?: AbortSignal;
  /** Epoch milliseconds after which no upstream work for this request may go on. */
  deadline?: number;
  /** `signal` fires at `deadline` by itself (a request context's does), so a call needs no timer of its own. */
  signalFiresAtDeadline?: boolean;
  onCall?: (call: UpstreamCall) => void;
  onCacheLookup?: (lookup: CacheLookup) => void;
  /** Put on every log line about this request's upstream calls; never sent upstream. */
  requestId?: string;
  /** The request's upstream call budget: every attempt takes one call; none left, no call is made. */
  budget?: CallBudget;
  /**
   * Who is asking (an API key's config path, never the key): whose turn a call takes in a
   * source's waiting line. Undefined: the shared anonymous caller.
   */
  caller?: string;
  /**
   * Set by the cross-request list caches: a 2xx answer to these calls may be shared with the
   * other replicas for this long, and taken from them (`UpstreamClientOptions.sharedLoads`).
   */
  shareForMs?: number;
}

export type QueryValue = string | number | boolean | undefined | null | Array<string | number>;

export interface UpstreamRequest {
  /** A stable label for logs and metrics, e.g. `conversations.list`. */
  endpoint: string;
  path: string;
  /** Arrays are sent as repeated keys (`labels[]=a&labels[]=b` needs the key spelled so). */
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /**
   * Only idempotent methods are retried: a write is sent once, and a failure after it may
   * have reached the provider says so (`SourceError.details.maybeApplied`). @default 'GET'
   */
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /**
   * A read sent with a write's method (a search whose query goes in a POST body): retried,
   * shared between replicas (keyed with its body) and never `maybeApplied`, like a GET.
   * @default false
   */
  idempotent?: boolean;
  /** The body of a write: JSON, or form fields (`application/x-www-form-urlencoded`). @default none */
  body?: { json: unknown } | { form: Record<string, string | number | boolean | undefined> };
  /**
   * 4xx statuses the adapter reads itself (a provider's "already assigned" 400, a 422 with a
   * reason) instead of the generic `UPSTREAM_BAD_RESPONSE`: they resolve as answers. @default none
   */
  answerStatuses?: readonly number[];
  /**
   * The rows array of a list payload and how many rows the adapter asked for: that array
   * is cut to them before it is validated or mapped. @default no cut
   */
  rows?: RowsCap;
}

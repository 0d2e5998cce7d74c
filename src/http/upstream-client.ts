import { timeout, TimeoutStrategy } from 'cockatiel';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { CallBudget } from '../limits/upstream-budget.js';
import { log, type Logger } from '../log.js';
import { QuotaExhausted, takeWithin } from '../shared-state/quota-wait.js';
import type { SharedLoads } from '../shared-state/shared-loads.js';
import type { UpstreamQuotas } from '../shared-state/upstream-quotas.js';
import { startDeadline, type Deadline } from './deadline.js';
import { budgetSpent, ResponseTooLarge, SourceError, UpstreamNotFound, type FailureKind } from './errors.js';
import { badResponse, readPayload, statusError, type RowsCap, type UpstreamResponse } from './payload.js';
import { abortFailure, deadlineFailure, SourcePolicy, type CircuitStatus } from './policy.js';
import { clampRetryAfter } from './retry-after.js';
import { resilienceSchema } from './settings.js';
import { createPoolTransport, DEFAULT_UPSTREAM_MAX_BYTES, type Transport } from './transport.js';

export type { UpstreamResponse } from './payload.js';
export { parseRetryAfter } from './retry-after.js';

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
  /** Only idempotent methods are retried. @default 'GET' */
  method?: 'GET' | 'HEAD';
  /**
   * The rows array of a list payload and how many rows the adapter asked for: that array
   * is cut to them before it is validated or mapped. @default no cut
   */
  rows?: RowsCap;
}

export interface UpstreamClientOptions {
  sourceId: string;
  baseUrl: string;
  /**
   * Per-attempt timeout covering connect, headers and body; an attempt also ends at the
   * request deadline.
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * The deadline of calls whose scope brings none (start-up warm-up, scripts).
   * @default 5000
   */
  deadlineMs?: number;
  /**
   * Retry, circuit breaker and concurrency cap. The gateway passes the configured ones.
   * @default one attempt per call and no circuit breaker (what adapter unit tests want)
   */
  resilience?: z.input<typeof resilienceSchema>;
  /** The network, injectable for tests. @default an undici keep-alive pool to `baseUrl`'s origin */
  transport?: Transport;
  /** Bytes of one response body; past it the answer is `UPSTREAM_BAD_RESPONSE`. @default 4194304 */
  maxResponseBytes?: number;
  /** Calls one caller (API key) may have waiting for this source. @default `resilience.concurrency.queue` */
  queuePerCaller?: number;
  /** Where attempt and circuit lines go; bound to this source. @default the process-wide `log` */
  logger?: Logger;
  /** The gateway's metrics. @default none */
  observer?: UpstreamObserver;
  /**
   * Every attempt takes one call of this source's quota (keyed by source id), waiting for
   * the next window while the deadline allows; a 429 with `Retry-After` pauses the source.
   * @default none
   */
  quotas?: UpstreamQuotas;
  /** Where answers to calls with `scope.shareForMs` are shared between replicas. @default none */
  sharedLoads?: SharedLoads;
}

const IDEMPOTENT = new Set(['GET', 'HEAD']);

/**
 * The one module that talks to providers. Every adapter call goes through `getJson`,
 * which runs the source's policy (retries, breaker, concurrency cap, deadline), turns
 * transport failures and provider statuses into `SourceError`s and validates the body
 * against the schema of what the adapter reads.
 */
export class UpstreamClient {
  readonly sourceId: string;
  private readonly basePath: string;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly maxResponseBytes: number;
  private readonly policy: SourcePolicy;
  private readonly transport: Transport;
  private readonly log: Logger;
  private readonly observer: UpstreamObserver | undefined;
  private readonly quotas: UpstreamQuotas | undefined;
  private readonly sharedLoads: SharedLoads | undefined;
  /** What a call needs left of the deadline once its quota wait is over. */
  private readonly minAttemptMs: number;

  constructor(options: UpstreamClientOptions) {
    const url = new URL(options.baseUrl);
    this.sourceId = options.sourceId;
    this.basePath = url.pathname.replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.deadlineMs = options.deadlineMs ?? 5000;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_UPSTREAM_MAX_BYTES;
    const settings = resilienceSchema.parse(options.resilience ?? {});
    this.log = (options.logger ?? log).child({ source: this.sourceId });
    this.observer = options.observer;
    this.quotas = options.quotas;
    this.sharedLoads = options.sharedLoads;
    this.minAttemptMs = settings.retry.minAttemptMs;
    this.policy = new SourcePolicy(
      this.sourceId,
      {
        ...(options.resilience ? settings : { ...settings, retry: { ...settings.retry, maxRetries: 0 }, breaker: null }),
        ...(options.queuePerCaller === undefined ? {} : { queuePerCaller: options.queuePerCaller }),
      },
      { log: this.log, onOpen: () => this.observer?.onCircuitOpen(this.sourceId) },
    );
    this.transport =
      options.transport ??
      createPoolTransport({ origin: url.origin, connections: settings.concurrency.perSource, timeoutMs: this.timeoutMs, maxBytes: this.maxResponseBytes });
  }

  /**
   * One call under the source's policy. Resolves with a 2xx answer; a 404 rejects with
   * `UpstreamNotFound` (adapters read it as "no such object"), anything else with a
   * coded `SourceError`.
   */
  async request(request: UpstreamRequest, scope: CallScope = {}): Promise<UpstreamResponse> {
    // A spent budget refuses at once, before the call waits for a slot.
    if (scope.budget?.spent) throw budgetSpent(this.sourceId, scope.budget.max);
    // A request context's signal already fires at its deadline: calls share it rather than each arming a timer of its own.
    const deadline: Deadline =
      scope.signal && scope.deadline !== undefined && scope.signalFiresAtDeadline
        ? { at: scope.deadline, signal: scope.signal, dispose: () => undefined }
        : startDeadline(scope.deadline ?? Date.now() + this.deadlineMs, scope.signal);
    try {
      const method = request.method ?? 'GET';
      const call = () => this.policy.execute((attemptNo) => this.attempt(request, scope, deadline, attemptNo), deadline, IDEMPOTENT.has(method), scope.caller);
      const shareForMs = Math.floor(scope.shareForMs ?? 0);
      if (!this.sharedLoads || shareForMs < 1 || method !== 'GET') return await call();
      const text = await this.sharedLoads.get(this.sharedKey(request), shareForMs, async () => JSON.stringify(sharedCopy(await call())), { until: deadline.at, signal: deadline.signal });
      return JSON.parse(text) as UpstreamResponse;
    } finally {
      deadline.dispose();
    }
  }

  /** GETs JSON and validates it against the schema of what the adapter reads. */
  async getJson<Schema extends z.ZodType>(request: UpstreamRequest, schema: Schema, scope: CallScope = {}): Promise<z.output<Schema>> {
    const response = await this.request(request, scope);
    try {
      return readPayload(this.sourceId, request.endpoint, response, schema, request.rows === undefined ? {} : { rows: request.rows });
    } catch (error) {
      if (error instanceof SourceError) this.log.warn({ reqId: scope.requestId, endpoint: request.endpoint, reason: error.message }, 'upstream payload rejected');
      throw error;
    }
  }

  /** The policy's and the pool's state: after a request finishes nothing should be running. */
  stats(): { circuit: CircuitStatus; active: number; queued: number; connected: number; running: number; pending: number } {
    return { circuit: this.policy.circuit, active: this.policy.active, queued: this.policy.queued, ...this.transport.stats() };
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  badResponse(message: string): SourceError {
    return badResponse(this.sourceId, message);
  }

  /** Names one directory call across replicas; the path and query are hashed, so no value of theirs sits in Redis keys. */
  private sharedKey(request: UpstreamRequest): string {
    const target = createHash('sha256').update(request.path + encodeQuery(request.query)).digest('base64url');
    return `directory:${this.sourceId}:${request.endpoint}:${target}`;
  }

  /** One call of the source's quota, or `SOURCE_RATE_LIMITED` when none comes before the deadline. */
  private async takeQuota(deadline: Deadline): Promise<void> {
    if (!this.quotas) return;
    try {
      await takeWithin(this.quotas, this.sourceId, deadline, this.minAttemptMs);
    } catch (error) {
      if (error instanceof QuotaExhausted) {
        this.observer?.onQuotaRefused?.(this.sourceId);
        throw new SourceError('SOURCE_RATE_LIMITED', "no call to this provider fits before the request deadline: its call quota (config `sources[].quota`) is spent, or it asked Parley to wait", {
          sourceId: this.sourceId,
          retryAfter: Math.max(1, clampRetryAfter(error.retryAfterMs / 1000)),
          failure: 'throttled',
        });
      }
      if (deadline.signal.aborted) throw abortFailure(this.sourceId, deadline.signal);
      // The quota store failed in a way its own fallback did not cover: the call goes, as it did before quotas.
    }
  }

  /** The provider said "wait": no replica calls it until then. */
  private async pauseFor(failure: unknown): Promise<void> {
    if (!this.quotas || !(failure instanceof SourceError) || failure.details.failure !== 'throttled') return;
    const seconds = failure.details.retryAfter;
    if (seconds === undefined || seconds <= 0 || failure.details.status !== 429) return;
    await this.quotas.pause(this.sourceId, seconds * 1000).catch(() => undefined);
  }

  private async attempt(request: UpstreamRequest, scope: CallScope, deadline: Deadline, attemptNo: number): Promise<UpstreamResponse> {
    await this.takeQuota(deadline);
    // Every attempt is a call the provider bears; past the budget none is made (nor logged as made).
    if (scope.budget && !scope.budget.take()) throw budgetSpent(this.sourceId, scope.budget.max);
    const started = performance.now();
    const startedAt = performance.timeOrigin + started;
    let status: number | null = null;
    let failure: unknown;
    try {
      const response = await this.send(request, deadline);
      status = response.status;
      // An injected transport may not cap what it reads: the answer is refused all the same.
      if (response.body.length > this.maxResponseBytes) throw tooLarge(this.sourceId, request.endpoint, this.maxResponseBytes, status);
      if (status >= 200 && status < 300) return response;
      if (status === 404) throw new UpstreamNotFound(`${request.endpoint}: not found`);
      throw statusError(this.sourceId, response);
    } catch (error) {
      failure = error;
      await this.pauseFor(error);
      throw error;
    } finally {
      const durationMs = performance.now() - started;
      const kind = failure instanceof SourceError ? failure.details.failure : undefined;
      const call: UpstreamCall = { sourceId: this.sourceId, endpoint: request.endpoint, status, durationMs, attempt: attemptNo + 1, startedAt };
      if (failure instanceof SourceError) call.error = failure.code;
      if (kind) call.failure = kind;
      scope.onCall?.(call);
      this.observer?.onAttempt(call);
      const fields = { reqId: scope.requestId, endpoint: request.endpoint, attempt: attemptNo + 1, status, durationMs: Math.round(durationMs) };
      if (failure instanceof SourceError && kind !== 'cancelled') {
        this.log.warn({ ...fields, code: call.error, failure: kind }, 'upstream attempt failed');
      } else {
        this.log.debug(fields, 'upstream attempt');
      }
    }
  }

  /** One exchange within min(per-attempt timeout, time left before the deadline). */
  private async send(request: UpstreamRequest, deadline: Deadline): Promise<UpstreamResponse> {
    const left = deadline.at - Date.now();
    if (deadline.signal.aborted) throw abortFailure(this.sourceId, deadline.signal);
    if (left <= 0) throw deadlineFailure(this.sourceId);
    const limit = Math.min(this.timeoutMs, left);
    const perAttempt = timeout(limit, { strategy: TimeoutStrategy.Cooperative, abortOnReturn: false });
    let timedOut = false;
    perAttempt.onTimeout(() => (timedOut = true));
    try {
      return await perAttempt.execute(
        (_context, signal) =>
          this.transport.send(
            {
              method: request.method ?? 'GET',
              path: this.basePath + request.path + encodeQuery(request.query),
              headers: { accept: 'application/json', ...request.headers },
            },
            signal,
          ),
        deadline.signal,
      );
    } catch (error) {
      if (error instanceof ResponseTooLarge) throw tooLarge(this.sourceId, request.endpoint, error.maxBytes);
      if (deadline.signal.aborted) throw abortFailure(this.sourceId, deadline.signal);
      // An attempt the deadline had already shortened ran out of request time, not provider time.
      if (timedOut && limit < this.timeoutMs) throw deadlineFailure(this.sourceId);
      if (timedOut || isUndiciTimeout(error)) {
        throw new SourceError('SOURCE_UNAVAILABLE', `the provider did not answer within ${limit} ms`, { sourceId: this.sourceId, failure: 'timeout' });
      }
      throw new SourceError('SOURCE_UNAVAILABLE', 'the connection to the provider failed', { sourceId: this.sourceId, failure: 'connection' });
    }
  }
}

/** Not retried: a provider that sent too much once will likely do it again. */
function tooLarge(sourceId: string, endpoint: string, maxBytes: number, status?: number): SourceError {
  return new SourceError('UPSTREAM_BAD_RESPONSE', `${endpoint} answered with more than ${maxBytes} bytes (config \`upstreamMaxBytes\`); Parley stopped reading`, {
    sourceId,
    ...(status === undefined ? {} : { status }),
    retryable: false,
    failure: 'payload',
  });
}

/** What replicas share of an answer: never its other headers (cookies, request ids). */
function sharedCopy(response: UpstreamResponse): UpstreamResponse {
  const type = response.headers['content-type'];
  return { status: response.status, headers: type === undefined ? {} : { 'content-type': type }, body: response.body };
}

function isUndiciTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

function encodeQuery(query: UpstreamRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

import { timeout, TimeoutStrategy } from 'cockatiel';
import type { z } from 'zod';
import { ErrorCode } from '../errors/codes.js';
import { createLogger, type Logger } from '../ops/log.js';
import { QuotaExhausted, takeWithin } from '../shared-state/quota-wait.js';
import type { SharedLoads } from '../shared-state/shared-loads.js';
import type { UpstreamQuotas } from '../shared-state/upstream-quotas.js';
import { startDeadline, type Deadline } from './deadline.js';
import { budgetSpent, ResponseTooLarge, SourceError, UpstreamNotFound } from './errors.js';
import { badResponse, readPayload, statusError, type UpstreamResponse } from './payload.js';
import { abortFailure, deadlineFailure, SourcePolicy, type CircuitStatus } from './policy.js';
import { encodeQuery } from './query-string.js';
import { clampRetryAfter } from './retry-after.js';
import { resilienceSchema } from './settings.js';
import { sharedAnswerKey, sharedCopy } from './shared-answers.js';
import { createPoolTransport, DEFAULT_UPSTREAM_MAX_BYTES, type Transport } from './transport.js';
import { isUndiciTimeout, tooLarge } from './upstream-failures.js';
import { encodeBody, isWrite, withDelivery } from './write-body.js';
import type { CallScope, UpstreamCall, UpstreamObserver, UpstreamRequest } from './upstream-types.js';

export type { UpstreamResponse } from './payload.js';
export { parseRetryAfter } from './retry-after.js';
export type { CacheLookup, CallScope, QueryValue, UpstreamCall, UpstreamObserver, UpstreamRequest } from './upstream-types.js';

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
  /** Where attempt and circuit lines go; bound to this source. @default a logger of its own at the default level (scripts, adapter tests) */
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
    this.log = (options.logger ?? createLogger()).child({ source: this.sourceId });
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
      const read = !isWrite(request);
      const call = () => this.policy.execute((attemptNo) => this.attempt(request, scope, deadline, attemptNo), deadline, read, scope.caller);
      const shareForMs = Math.floor(scope.shareForMs ?? 0);
      if (!this.sharedLoads || shareForMs < 1 || !read) return await call();
      const text = await this.sharedLoads.get(sharedAnswerKey(this.sourceId, request), shareForMs, async () => JSON.stringify(sharedCopy(await call())), { until: deadline.at, signal: deadline.signal });
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

  /** One call of the source's quota, or `SOURCE_RATE_LIMITED` when none comes before the deadline. */
  private async takeQuota(deadline: Deadline): Promise<void> {
    if (!this.quotas) return;
    try {
      await takeWithin(this.quotas, this.sourceId, deadline, this.minAttemptMs);
    } catch (error) {
      if (error instanceof QuotaExhausted) {
        this.observer?.onQuotaRefused?.(this.sourceId);
        throw new SourceError(ErrorCode.SOURCE_RATE_LIMITED, "no call to this provider fits before the request deadline: its call quota (config `sources[].quota`) is spent, or it asked Parley to wait", {
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
    const sent = { dispatched: false };
    try {
      const response = await this.send(request, deadline, sent);
      status = response.status;
      // An injected transport may not cap what it reads: the answer is refused all the same.
      if (response.body.length > this.maxResponseBytes) throw tooLarge(this.sourceId, request.endpoint, this.maxResponseBytes, status);
      if ((status >= 200 && status < 300) || request.answerStatuses?.includes(status)) return response;
      if (status === 404) throw new UpstreamNotFound(`${request.endpoint}: not found`);
      throw statusError(this.sourceId, response);
    } catch (error) {
      failure = isWrite(request) ? withDelivery(error, sent.dispatched) : error;
      await this.pauseFor(error);
      throw failure;
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
  private async send(request: UpstreamRequest, deadline: Deadline, sent: { dispatched: boolean }): Promise<UpstreamResponse> {
    const left = deadline.at - Date.now();
    if (deadline.signal.aborted) throw abortFailure(this.sourceId, deadline.signal);
    if (left <= 0) throw deadlineFailure(this.sourceId);
    const limit = Math.min(this.timeoutMs, left);
    const perAttempt = timeout(limit, { strategy: TimeoutStrategy.Cooperative, abortOnReturn: false });
    let timedOut = false;
    perAttempt.onTimeout(() => (timedOut = true));
    try {
      return await perAttempt.execute(
        (_context, signal) => {
          sent.dispatched = true;
          return this.transport.send(
            {
              method: request.method ?? 'GET',
              path: this.basePath + request.path + encodeQuery(request.query),
              ...encodeBody(request, { accept: 'application/json', ...request.headers }),
            },
            signal,
          );
        },
        deadline.signal,
      );
    } catch (error) {
      if (error instanceof ResponseTooLarge) throw tooLarge(this.sourceId, request.endpoint, error.maxBytes);
      if (deadline.signal.aborted) throw abortFailure(this.sourceId, deadline.signal);
      // An attempt the deadline had already shortened ran out of request time, not provider time.
      if (timedOut && limit < this.timeoutMs) throw deadlineFailure(this.sourceId);
      if (timedOut || isUndiciTimeout(error)) {
        throw new SourceError(ErrorCode.SOURCE_UNAVAILABLE, `the provider did not answer within ${limit} ms`, { sourceId: this.sourceId, failure: 'timeout' });
      }
      // The cause stays on the error (never in its message): a write needs its code to know whether anything was sent.
      throw Object.assign(new SourceError(ErrorCode.SOURCE_UNAVAILABLE, 'the connection to the provider failed', { sourceId: this.sourceId, failure: 'connection' }), { cause: error });
    }
  }
}

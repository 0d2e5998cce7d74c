import {
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  halfJitterGenerator,
  handleWhen,
  isBrokenCircuitError,
  retry,
  type CircuitBreakerPolicy,
  type IBackoff,
} from 'cockatiel';
import { ErrorCode } from '../errors/codes.js';
import type { Logger } from '../ops/log.js';
import { isDeadlineExceeded, sleep, untilAborted, type Deadline } from './deadline.js';
import { isTransient, SourceError } from './errors.js';
import { createFairSlots, QueueFull, type FairSlots } from './fair-slots.js';
import type { ResilienceSettings } from './settings.js';

/**
 * One source's upstream policy (design.md section 7), built from cockatiel's policies:
 * retries with jittered exponential backoff for idempotent reads, within the request
 * deadline; `Retry-After` honoured when it fits; a circuit breaker; a concurrency cap
 * whose waiting line is fair between callers (src/http/fair-slots.ts). The breaker and
 * the cap live as long as the source; a retry plan lives for one call.
 */

export interface SourcePolicySettings {
  retry: ResilienceSettings['retry'];
  /** Null: no circuit breaker (a bare client, as adapter unit tests use). */
  breaker: ResilienceSettings['breaker'] | null;
  concurrency: ResilienceSettings['concurrency'];
  /** Calls one caller (API key) may have waiting for this source. @default `concurrency.queue` */
  queuePerCaller?: number;
}

export type CircuitStatus = 'closed' | 'open' | 'half-open';

const CIRCUIT_STATUS: Record<CircuitState, CircuitStatus> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

export class SourcePolicy {
  private readonly breaker: CircuitBreakerPolicy | null;
  private readonly cap: FairSlots;
  private readonly backoff: ExponentialBackoff<number>;
  private openedAt = 0;

  constructor(
    readonly sourceId: string,
    private readonly settings: SourcePolicySettings,
    hooks: { log: Logger; onOpen?: () => void },
  ) {
    const { log } = hooks;
    this.cap = createFairSlots({
      concurrency: settings.concurrency.perSource,
      queue: settings.concurrency.queue,
      queuePerCaller: settings.queuePerCaller ?? settings.concurrency.queue,
    });
    this.backoff = new ExponentialBackoff({
      generator: halfJitterGenerator,
      initialDelay: settings.retry.initialDelayMs,
      maxDelay: settings.retry.maxDelayMs,
    });
    const breaker = settings.breaker;
    this.breaker = breaker
      ? circuitBreaker(handleWhen(countsAgainstHealth), {
          halfOpenAfter: breaker.halfOpenAfterMs,
          breaker: new ConsecutiveBreaker(breaker.failureThreshold),
        })
      : null;
    this.breaker?.onBreak(() => {
      this.openedAt = Date.now();
      log.warn({ failures: breaker!.failureThreshold, halfOpenAfterMs: breaker!.halfOpenAfterMs }, 'circuit opened');
      hooks.onOpen?.();
    });
    this.breaker?.onHalfOpen(() => log.info('circuit half-open'));
    this.breaker?.onReset(() => log.info('circuit closed'));
  }

  get circuit(): CircuitStatus {
    return this.breaker ? CIRCUIT_STATUS[this.breaker.state] : 'closed';
  }

  /** Calls waiting for a concurrency slot. */
  get queued(): number {
    return this.cap.queued;
  }

  /** Calls holding a concurrency slot. */
  get active(): number {
    return this.cap.active;
  }

  /**
   * Runs `attempt` until it succeeds, fails in a way a retry cannot help, or the retry
   * budget or the deadline runs out. Every wait (backoff, `Retry-After`, a queue slot)
   * ends when the deadline's signal fires, and leaves no timer behind. `caller` names whose
   * turn the call takes in the waiting line (undefined: the shared anonymous caller).
   */
  async execute<T>(attempt: (attemptNo: number) => Promise<T>, deadline: Deadline, idempotent: boolean, caller?: string): Promise<T> {
    const plan = new RetryPlan(this.settings.retry, deadline, this.backoff);
    // cockatiel's own retry delay is a timer that no signal can clear, so the policy
    // waits 0 ms and the planned wait runs at the start of the next attempt instead.
    const retryPolicy = retry(
      handleWhen((error) => idempotent && plan.accepts(error)),
      { maxAttempts: this.settings.retry.maxRetries },
    );
    try {
      return await retryPolicy.execute(async ({ attempt: attemptNo }) => {
        await sleep(plan.takeDelay(), deadline.signal);
        const slotted = () => untilAborted(this.cap.run(caller, () => attempt(attemptNo), deadline.signal), deadline.signal);
        return this.breaker ? this.breaker.execute(slotted, deadline.signal) : slotted();
      }, deadline.signal);
    } catch (error) {
      throw this.explain(error, deadline);
    }
  }

  /** Names the policy's own refusals and the deadline in Parley's codes. */
  private explain(error: unknown, deadline: Deadline): unknown {
    if (error instanceof SourceError) return error;
    const sourceId = this.sourceId;
    if (isBrokenCircuitError(error)) {
      const wait = this.openedAt + (this.settings.breaker?.halfOpenAfterMs ?? 0) - Date.now();
      return new SourceError(ErrorCode.SOURCE_UNAVAILABLE, 'the provider failed repeatedly; Parley is not calling it for a while (circuit open)', {
        sourceId,
        retryAfter: Math.max(1, Math.ceil(wait / 1000)),
        failure: 'circuit',
      });
    }
    if (error instanceof QueueFull) {
      const whose = error.scope === 'caller' ? "this API key's requests" : 'requests';
      return new SourceError(ErrorCode.SOURCE_UNAVAILABLE, `too many ${whose} to this provider are already waiting`, { sourceId, failure: 'overload' });
    }
    if (deadline.signal.aborted) return abortFailure(sourceId, deadline.signal);
    return error;
  }
}

/** Why a call stopped when its signal fired: the deadline, or the client going away. */
export function abortFailure(sourceId: string, signal: AbortSignal): SourceError {
  if (isDeadlineExceeded(signal)) return deadlineFailure(sourceId);
  return new SourceError(ErrorCode.SOURCE_UNAVAILABLE, 'the request was cancelled', { sourceId, failure: 'cancelled' });
}

export function deadlineFailure(sourceId: string): SourceError {
  return new SourceError(ErrorCode.SOURCE_UNAVAILABLE, 'the provider did not answer before the request deadline', { sourceId, failure: 'deadline' });
}

/**
 * Decides, failure by failure, whether one call tries again and after how long: a 429
 * or 503 waits what `Retry-After` says, other transient failures the next jittered
 * backoff; either way only if the wait and a useful attempt still fit the deadline.
 */
class RetryPlan {
  private backoff: IBackoff<unknown> | undefined;
  private pending = 0;

  constructor(
    private readonly settings: ResilienceSettings['retry'],
    private readonly deadline: Deadline,
    private readonly factory: ExponentialBackoff<number>,
  ) {}

  accepts(error: unknown): boolean {
    if (!(error instanceof SourceError) || this.deadline.signal.aborted) return false;
    const delay = this.delayFor(error);
    if (delay === undefined) return false;
    if (Date.now() + delay + this.settings.minAttemptMs > this.deadline.at) return false;
    this.pending = delay;
    return true;
  }

  /** The wait before the attempt about to start (0 for the first). */
  takeDelay(): number {
    const delay = this.pending;
    this.pending = 0;
    return delay;
  }

  private delayFor(error: SourceError): number | undefined {
    const { retryAfter, failure } = error.details;
    // Without `Retry-After` a throttled provider gives no safe time to come back.
    if (failure === 'throttled') return retryAfter === undefined ? undefined : retryAfter * 1000;
    if (!isTransient(error)) return undefined;
    if (retryAfter !== undefined) return retryAfter * 1000;
    this.backoff = this.backoff ? this.backoff.next(undefined) : this.factory.next();
    return this.backoff.duration;
  }
}

/**
 * What opens the circuit: failures worth a retry, and bodies over the byte cap. Those are
 * never retried, but a provider that keeps sending them should be left alone for a while
 * rather than read up to the cap on every request.
 */
function countsAgainstHealth(error: unknown): boolean {
  return isTransient(error) || (error instanceof SourceError && error.details.failure === 'payload');
}

import { ErrorCode } from '../errors/codes.js';

/**
 * Errors a source can raise. Each has a stable code that reaches the client in
 * `extensions.code`; the upstream body is never part of the message.
 */
export const SOURCE_ERROR_CODES = [
  ErrorCode.SOURCE_UNAVAILABLE,
  ErrorCode.SOURCE_RATE_LIMITED,
  ErrorCode.SOURCE_AUTH_FAILED,
  ErrorCode.UPSTREAM_BAD_RESPONSE,
  // The request spent its upstream call budget: the same code as the static check, with `limit`.
  ErrorCode.QUERY_TOO_COMPLEX,
] as const;
export type SourceErrorCode = (typeof SOURCE_ERROR_CODES)[number];

/**
 * What went wrong underneath a code, for the HTTP layer's own decisions (retry, circuit
 * breaker) and for logs; clients see only the code.
 */
export type FailureKind =
  /** The provider answered 5xx (or 408): it may well answer the next attempt. */
  | 'server'
  /** No answer within the per-attempt timeout. */
  | 'timeout'
  /** The connection failed: refused, reset, closed mid-answer. */
  | 'connection'
  /** 429. */
  | 'throttled'
  /** 401/403 and other 4xx: the same request would fail again. */
  | 'refused'
  /** A 2xx whose body Parley cannot use. */
  | 'payload'
  /** The request deadline passed first. */
  | 'deadline'
  /** The client went away. */
  | 'cancelled'
  /** The source's circuit is open: Parley did not call. */
  | 'circuit'
  /** Too many calls to this source were already waiting. */
  | 'overload'
  /** The request's upstream call budget was spent: Parley did not call. */
  | 'budget';

/** Failures worth another attempt, and the ones that count against a source's health. */
export const TRANSIENT_FAILURES: ReadonlySet<FailureKind> = new Set(['server', 'timeout', 'connection']);

export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    readonly details: {
      sourceId: string;
      /** Upstream HTTP status, when there was one. */
      status?: number;
      /** Seconds the provider asked us to wait. */
      retryAfter?: number;
      retryable?: boolean;
      failure?: FailureKind;
      /** The Parley limit that stopped the call (its config name under `limits`, and its value). */
      limit?: { name: string; max: number };
      /**
       * Writes only: the request left Parley and its fate is unknown (a 5xx, a timeout, a
       * reset), so the change may have been made. False: the provider surely did not apply it.
       */
      maybeApplied?: boolean;
    },
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.details.retryable ?? this.code !== ErrorCode.SOURCE_AUTH_FAILED;
  }
}

/** The provider answered 404 for an object: adapters turn it into "no such node". */
export class UpstreamNotFound extends Error {
  override readonly name = 'UpstreamNotFound';
}

/** The transport stopped reading an answer past its byte cap (`upstreamMaxBytes`). */
export class ResponseTooLarge extends Error {
  override readonly name = 'ResponseTooLarge';
  constructor(readonly maxBytes: number) {
    super(`the answer is larger than ${maxBytes} bytes`);
  }
}

/** A request that spent its upstream call budget: no call was made, and asking again would spend it again. */
export function budgetSpent(sourceId: string, max: number): SourceError {
  return new SourceError(ErrorCode.QUERY_TOO_COMPLEX, `the request spent its budget of ${max} upstream calls (config \`limits.upstreamCalls\`); Parley made no further call`, {
    sourceId,
    retryable: false,
    failure: 'budget',
    limit: { name: 'upstreamCalls', max },
  });
}

/** A failure the retry policy may try again and the circuit breaker counts. */
export function isTransient(error: unknown): error is SourceError {
  return error instanceof SourceError && error.details.failure !== undefined && TRANSIENT_FAILURES.has(error.details.failure);
}

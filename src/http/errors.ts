/**
 * Errors a source can raise. Each has a stable code that reaches the client in
 * `extensions.code`; the upstream body is never part of the message.
 */
export const SOURCE_ERROR_CODES = [
  'SOURCE_UNAVAILABLE',
  'SOURCE_RATE_LIMITED',
  'SOURCE_AUTH_FAILED',
  'UPSTREAM_BAD_RESPONSE',
] as const;
export type SourceErrorCode = (typeof SOURCE_ERROR_CODES)[number];

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
    },
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.details.retryable ?? this.code !== 'SOURCE_AUTH_FAILED';
  }
}

/** The provider answered 404 for an object: adapters turn it into "no such node". */
export class UpstreamNotFound extends Error {
  override readonly name = 'UpstreamNotFound';
}

export function isSourceError(error: unknown): error is SourceError {
  return error instanceof SourceError;
}

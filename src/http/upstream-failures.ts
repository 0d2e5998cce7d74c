import { ErrorCode } from '../errors/codes.js';
import { SourceError } from './errors.js';

/** Not retried: a provider that sent too much once will likely do it again. */
export function tooLarge(sourceId: string, endpoint: string, maxBytes: number, status?: number): SourceError {
  return new SourceError(ErrorCode.UPSTREAM_BAD_RESPONSE, `${endpoint} answered with more than ${maxBytes} bytes (config \`upstreamMaxBytes\`); Parley stopped reading`, {
    sourceId,
    ...(status === undefined ? {} : { status }),
    retryable: false,
    failure: 'payload',
  });
}

/** undici's own timeouts, which end an attempt the same way the per-attempt timer does. */
export function isUndiciTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

import { ErrorCode } from '../errors/codes.js';
import type { UpstreamQuotas } from './upstream-quotas.js';

/** The quota had no call left that fits before the deadline: `retryAfterMs` is when the next one comes. */
export class QuotaExhausted extends Error {
  override readonly name = 'QuotaExhausted';
  readonly code = ErrorCode.QUOTA_EXHAUSTED;
  constructor(readonly retryAfterMs: number) {
    super(`no call left in the quota for ${retryAfterMs} ms`);
  }
}

/**
 * Takes one call of `key`'s quota, waiting for the next window while it comes soon enough
 * that `reserveMs` of the deadline is still left for the call itself. Throws
 * `QuotaExhausted` when it does not, and the signal's reason when it fires first.
 */
export async function takeWithin(quotas: UpstreamQuotas, key: string, deadline: { at: number; signal: AbortSignal }, reserveMs: number): Promise<void> {
  for (;;) {
    const waitMs = await quotas.take(key);
    if (waitMs === 0) return;
    if (Date.now() + waitMs + reserveMs > deadline.at) throw new QuotaExhausted(waitMs);
    await pause(waitMs, deadline.signal);
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

import { ErrorCode } from '../errors/codes.js';

/** A shared-state call that breaks its contract (a bad time to live, a bad stream length): a bug in the caller. */
export class SharedStateMisuse extends Error {
  override readonly name = 'SharedStateMisuse';
  readonly code = ErrorCode.SHARED_STATE_MISUSE;
}

export function checkTtl(ttlMs: number): void {
  // Redis refuses PX 0, and a key kept forever is never what a caller of these stores wants.
  if (!Number.isInteger(ttlMs) || ttlMs < 1) throw new SharedStateMisuse(`a time to live is a whole number of milliseconds >= 1, got ${ttlMs}`);
}

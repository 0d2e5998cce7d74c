/**
 * A point in time after which no upstream work for a request may go on. The signal
 * fires at the deadline (or when the parent signal fires, e.g. the client went away);
 * `dispose` clears the timer so that a finished request leaves none behind.
 */
export interface Deadline {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly signal: AbortSignal;
  dispose(): void;
}

/** The abort reason of a signal that fired because the deadline passed. */
export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
  constructor(readonly at: number) {
    super('the request deadline passed');
  }
}

export function startDeadline(at: number, parent?: AbortSignal, now = Date.now()): Deadline {
  const controller = new AbortController();
  // Not AbortSignal.any: Yoga's Node adapter hands requests a signal of its own, which Node 24's
  // AbortSignal.any refuses (Node 20 accepted it). The first reason wins, as with any().
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', () => controller.abort(parent.reason), { once: true });
  const signal = controller.signal;
  const remaining = at - now;
  if (remaining <= 0) {
    controller.abort(new DeadlineExceeded(at));
    return { at, signal, dispose: () => undefined };
  }
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded(at)), remaining);
  // A request that forgets to dispose must still not keep the process alive.
  timer.unref();
  return { at, signal, dispose: () => clearTimeout(timer) };
}

export function isDeadlineExceeded(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof DeadlineExceeded;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it fires (clearing the timer). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it fires. Used
 * around waits that cannot be cancelled themselves (a queue slot), so that a request
 * never waits past its deadline; the abandoned promise's outcome is swallowed.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => undefined);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

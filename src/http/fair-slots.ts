/**
 * A concurrency cap with a waiting line that is fair between callers (API keys): calls
 * start in arrival order within one caller, and round-robin across callers with calls
 * waiting, so a caller with a thousand calls queued delays another's next call by one
 * turn, not a thousand. Each caller may hold at most `queuePerCaller` waiting calls, so
 * no one caller fills the line for everyone.
 */

export interface FairSlotsOptions {
  /** Calls running at once. */
  concurrency: number;
  /** Calls waiting, all callers together. */
  queue: number;
  /** Calls one named caller may have waiting. @default `queue` */
  queuePerCaller?: number;
}

/** Why a call was refused without waiting: the whole line, or the caller's share of it, is full. */
export class QueueFull extends Error {
  override readonly name = 'QueueFull';
  constructor(readonly scope: 'everyone' | 'caller') {
    super(scope === 'caller' ? "the caller's share of the waiting line is full" : 'the waiting line is full');
  }
}

interface Waiter {
  start(): void;
}

export interface FairSlots {
  readonly active: number;
  readonly queued: number;
  /**
   * Runs `task` once a slot is free. `caller` undefined is the shared anonymous caller,
   * bounded only by the whole line. Rejects with `signal.reason` if it fires while waiting.
   */
  run<T>(caller: string | undefined, task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

const ANONYMOUS = '\u0000anonymous';

export function createFairSlots(options: FairSlotsOptions): FairSlots {
  const perCaller = options.queuePerCaller ?? options.queue;
  // Insertion order is the round-robin order: a caller served moves to the back.
  const lines = new Map<string, Waiter[]>();
  let active = 0;
  let queued = 0;

  const startNext = () => {
    while (active < options.concurrency) {
      const next = lines.entries().next();
      if (next.done) return;
      const [caller, line] = next.value;
      const waiter = line.shift()!;
      lines.delete(caller);
      if (line.length > 0) lines.set(caller, line);
      queued -= 1;
      waiter.start();
    }
  };

  const release = () => {
    active -= 1;
    startNext();
  };

  return {
    get active() {
      return active;
    },
    get queued() {
      return queued;
    },
    run<T>(caller: string | undefined, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const execute = (): Promise<T> => {
        active += 1;
        let running: Promise<T>;
        try {
          running = Promise.resolve(task());
        } catch (error) {
          running = Promise.reject(error);
        }
        return running.finally(release);
      };
      if (active < options.concurrency && queued === 0) return execute();
      const key = caller ?? ANONYMOUS;
      const line = lines.get(key);
      if (queued >= options.queue) return Promise.reject(new QueueFull('everyone'));
      if (caller !== undefined && (line?.length ?? 0) >= perCaller) return Promise.reject(new QueueFull('caller'));
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => {
          const current = lines.get(key);
          const at = current?.indexOf(waiter) ?? -1;
          if (current && at >= 0) {
            current.splice(at, 1);
            queued -= 1;
            if (current.length === 0) lines.delete(key);
          }
          reject(signal!.reason);
        };
        const waiter: Waiter = {
          start() {
            signal?.removeEventListener('abort', onAbort);
            execute().then(resolve, reject);
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        if (line) line.push(waiter);
        else lines.set(key, [waiter]);
        queued += 1;
      });
    },
  };
}

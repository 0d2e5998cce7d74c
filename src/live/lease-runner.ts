import type { Lease, LeaseLocks } from '../shared-state/index.js';
import type { Logger } from '../ops/log.js';

/**
 * Runs `run` every `intervalMs` on the one replica that holds the named lease: the others
 * try to take it each interval, so a replica that stops (or loses the lease) is replaced
 * within a lease.
 */
export interface LeaseRunner {
  /** Whether this replica holds the lease now. */
  readonly holding: boolean;
  stop(): Promise<void>;
}

export interface LeaseRunnerOptions {
  locks: LeaseLocks;
  name: string;
  holder: string;
  intervalMs: number;
  logger: Logger;
  run: () => Promise<unknown>;
}

const RETRY_MS = 1000;

export function runUnderLease(options: LeaseRunnerOptions): LeaseRunner {
  // Outlives an interval and a slow run, so a live holder does not lose it between two renewals.
  const leaseMs = Math.max(10_000, options.intervalMs * 3);
  let lease: Lease | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wakeUp = () => undefined as void;

  const hold = async () => {
    if (lease && !(await lease.renew(leaseMs))) {
      options.logger.info({ lease: options.name }, 'live runner lost its lease; another replica runs it now');
      lease = null;
    }
    lease ??= await options.locks.acquire(options.name, options.holder, leaseMs);
    return lease !== null;
  };

  const loop = (async () => {
    while (!stopped) {
      let pause = options.intervalMs;
      try {
        if (await hold()) await options.run();
      } catch (error) {
        // The shared store away (at start-up, say) is no reason to wait a whole interval.
        if (lease === null) pause = Math.min(pause, RETRY_MS);
        options.logger.warn({ err: error, lease: options.name }, 'a live runner failed; it runs again soon');
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        timer = setTimeout(resolve, pause);
        timer.unref();
      });
    }
  })();

  return {
    get holding() {
      return lease !== null;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wakeUp();
      await loop;
      await lease?.release().catch(() => undefined);
      lease = null;
    },
  };
}

/**
 * Jobs a simulator runs later (webhook deliveries and their retries, as a provider's
 * background queue would): counted until done, so a test can wait for all of them;
 * closing cancels the rest.
 */
export function createLaterJobs() {
  const closing = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  let pending = 0;
  let waiters: Array<() => void> = [];
  const wakeIfIdle = () => {
    if (pending > 0) return;
    for (const wake of waiters) wake();
    waiters = [];
  };
  return {
    signal: closing.signal,
    later(ms: number, run: () => Promise<void>): void {
      if (closing.signal.aborted) return;
      pending += 1;
      const timer = setTimeout(() => {
        timers.delete(timer);
        void run().finally(() => {
          pending -= 1;
          wakeIfIdle();
        });
      }, ms);
      timers.add(timer);
    },
    settled: (): Promise<void> => (pending === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
    close(): void {
      closing.abort();
      for (const timer of timers) clearTimeout(timer);
      pending -= timers.size;
      timers.clear();
      wakeIfIdle();
    },
  };
}

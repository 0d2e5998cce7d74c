/**
 * A fixed number of slots shared between callers. While requests wait, a freed slot goes
 * to the waiting caller that runs the fewest now, and of those to the one served least
 * recently, so one caller flooding the gateway takes turns with the others instead of
 * running ahead of them in arrival order; each caller's own requests keep their order.
 */

interface Waiter {
  readonly seq: number;
  readonly start: () => void;
  readonly leave: () => void;
}

export class FairLine {
  private limit: number;
  private running = 0;
  private queued = 0;
  private seq = 0;
  private readonly waiting = new Map<string, Waiter[]>();
  private readonly runningBy = new Map<string, number>();
  /** When each caller with requests running or waiting last got a slot (a count of starts). */
  private readonly servedAt = new Map<string, number>();
  private starts = 0;

  constructor(concurrency: number) {
    this.limit = concurrency;
  }

  /** Requests running now. */
  get pending(): number {
    return this.running;
  }

  /** Requests waiting for a slot. */
  get size(): number {
    return this.queued;
  }

  get concurrency(): number {
    return this.limit;
  }

  /** A rise starts waiting requests at once. */
  set concurrency(value: number) {
    this.limit = value;
    this.drain();
  }

  /** Requests of `caller` waiting for a slot. */
  waitingOf(caller: string): number {
    return this.waiting.get(caller)?.length ?? 0;
  }

  /**
   * Runs `task` in a slot, at once if one is free and nobody waits, else in turn. Rejects
   * with the signal's reason, without running `task`, if `signal` fires while it waits.
   */
  run(caller: string, task: () => Promise<void>, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const start = () => {
        this.servedAt.set(caller, this.starts++);
        this.running += 1;
        this.runningBy.set(caller, (this.runningBy.get(caller) ?? 0) + 1);
        Promise.resolve()
          .then(task)
          .finally(() => this.finish(caller))
          .then(resolve, reject);
      };
      if (this.running < this.limit && this.queued === 0) return start();
      const queue = this.waiting.get(caller) ?? [];
      const waiter: Waiter = {
        seq: this.seq++,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          start();
        },
        leave: () => reject(signal?.reason),
      };
      const onAbort = () => {
        const index = queue.indexOf(waiter);
        if (index === -1) return;
        queue.splice(index, 1);
        this.queued -= 1;
        if (queue.length === 0) this.waiting.delete(caller);
        this.forgetIfIdle(caller);
        waiter.leave();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
      this.waiting.set(caller, queue);
      this.queued += 1;
    });
  }

  private finish(caller: string): void {
    this.running -= 1;
    const left = (this.runningBy.get(caller) ?? 1) - 1;
    if (left === 0) this.runningBy.delete(caller);
    else this.runningBy.set(caller, left);
    this.forgetIfIdle(caller);
    this.drain();
  }

  private forgetIfIdle(caller: string): void {
    if (!this.runningBy.has(caller) && !this.waiting.has(caller)) this.servedAt.delete(caller);
  }

  private drain(): void {
    while (this.running < this.limit && this.queued > 0) {
      const caller = this.nextCaller();
      const queue = this.waiting.get(caller)!;
      const waiter = queue.shift()!;
      if (queue.length === 0) this.waiting.delete(caller);
      this.queued -= 1;
      waiter.start();
    }
  }

  /** The waiting caller running the fewest now; of those, the one served least recently, then the longest waiting. */
  private nextCaller(): string {
    let best: { caller: string; running: number; served: number; seq: number } | null = null;
    for (const [caller, queue] of this.waiting) {
      const next = { caller, running: this.runningBy.get(caller) ?? 0, served: this.servedAt.get(caller) ?? -1, seq: queue[0]!.seq };
      if (!best || before(next, best)) best = next;
    }
    return best!.caller;
  }
}

function before(a: { running: number; served: number; seq: number }, b: { running: number; served: number; seq: number }): boolean {
  if (a.running !== b.running) return a.running < b.running;
  if (a.served !== b.served) return a.served < b.served;
  return a.seq < b.seq;
}

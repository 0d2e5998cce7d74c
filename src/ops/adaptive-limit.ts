import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface AdaptiveLimitOptions {
  /** The floor; the limit starts here. Clamped to `max`. */
  min: number;
  max: number;
  /** The loop counts as saturated above this share of busy time (0-1). */
  busyAbove?: number;
  /** The event loop's utilization since the previous call (0-1); injectable for tests. */
  utilization?: () => number;
}

/** Busier than this, the loop has no idle time worth filling with another request. */
const DEFAULT_BUSY_ABOVE = 0.9;
/** Arrivals let in between two samples beyond the limit, whatever its size. */
const ARRIVAL_BURST = 8;

/**
 * How many GraphQL requests may run at once, following how busy the event loop is.
 *
 * Requests waiting on providers cost the loop nothing, so when providers are slow many
 * should run at once. Requests competing for the CPU only stretch one another: each one
 * holds its payloads for longer, the young-generation collector promotes them, and every
 * request costs more (measured with no upstream latency: 64 at once took 40-75% more CPU
 * per request than 8, and grew the heap by ~100 MB between full collections). So the limit
 * grows while the loop has idle time and requests are waiting (at once, as they arrive),
 * and shrinks towards `min` while the loop is saturated.
 */
export class AdaptiveLimit {
  /** Requests that may run at once now. */
  current: number;
  private busy = false;
  /**
   * Arrivals may grow the limit by at most its size at the last sample (or `ARRIVAL_BURST`,
   * if more) between two samples: a burst on an idle gateway (all clients connecting at
   * once) must not start `max` requests before the first sample can tell whether they
   * compete for the CPU, but a few arriving together must not wait for the next sample.
   */
  private atSample: number;
  private grownSinceSample = 0;
  private readonly min: number;
  private readonly max: number;
  private readonly busyAbove: number;
  private readonly utilization: () => number;

  constructor(options: AdaptiveLimitOptions) {
    this.max = Math.max(1, options.max);
    this.min = Math.max(1, Math.min(options.min, this.max));
    this.current = this.min;
    this.atSample = this.min;
    this.busyAbove = options.busyAbove ?? DEFAULT_BUSY_ABOVE;
    this.utilization = options.utilization ?? loopUtilization();
  }

  /**
   * A request arrived with every slot taken: true (and one more slot) unless the loop was
   * saturated when last sampled or the limit already grew as far as it may before the next. Growing on arrival
   * rather than at the next sample keeps a burst of slow-provider requests from queueing
   * behind each other.
   */
  tryGrow(): boolean {
    if (this.busy || this.current >= this.max || this.grownSinceSample >= Math.max(this.atSample, ARRIVAL_BURST)) return false;
    this.current += 1;
    this.grownSinceSample += 1;
    return true;
  }

  /** Called every sampling period with the number of requests waiting; returns the new limit. */
  sample(waiting: number): number {
    this.busy = this.utilization() > this.busyAbove;
    this.grownSinceSample = 0;
    if (this.busy) {
      // Down by a tenth (at least one) per period: from 64 to 2 in under two seconds at 50 ms.
      this.current = Math.max(this.min, Math.min(this.current - 1, Math.floor(this.current * 0.9)));
    } else if (waiting > 0) {
      this.current = Math.min(this.max, this.current + Math.max(1, Math.floor(this.current / 4)));
    }
    this.atSample = this.current;
    return this.current;
  }
}

/** The share of wall time the event loop spent running callbacks since the previous call. */
function loopUtilization(): () => number {
  let previous: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, previous);
    previous = now;
    return utilization;
  };
}

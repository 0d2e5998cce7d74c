import autocannon from 'autocannon';
import type { Request } from './scenarios.js';

/** One timed load run from this process (the load generator), measured per response. */

export interface LoadOptions {
  url: string;
  request: Request;
  connections: number;
  durationSec: number;
  /**
   * Seconds of load before the measured window, on the same connections. A run that
   * opened its connections inside the window would measure the server accepting a burst
   * of 100 new connections (the first request on each waits behind the others' work for
   * up to seconds, on any server), not the steady state.
   * @default 0
   */
  warmupSec?: number;
  /** Called once the warm-up is over, as the measured window opens (the bench resets peak RSS and reads CPU time). */
  onMeasureStart?: () => void;
  /** Requests per second across all connections; unset means as fast as the server answers. */
  overallRate?: number;
  /** Called every second while the load runs (the bench trims simulator logs, samples memory). */
  onTick?: () => void;
}

export interface LoadResult {
  /** Responses to requests sent inside the measured window. */
  requests: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses with a status of 500 and above. */
  serverErrors: number;
  /** Other non-2xx responses. */
  clientErrors: number;
  /** 200s whose body carries GraphQL `errors` (a source failed or was skipped). */
  withErrors: number;
  /** Requests that got no response (connection errors, timeouts), over the whole run. */
  transportErrors: number;
  durationSec: number;
  /** Every 2xx response time, ascending, in milliseconds. */
  latencies: number[];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const warmupMs = (options.warmupSec ?? 0) * 1000;
  let windowOpensAt = Number.POSITIVE_INFINITY;
  // autocannon's own histogram keeps whole milliseconds; the targets are about fractions of one.
  const latencies: number[] = [];
  let [requests, serverErrors, clientErrors, withErrors] = [0, 0, 0, 0];
  let finish: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => ([finish, fail] = [resolve, reject]));
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSec + warmupMs / 1000,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: options.request.path,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: options.request.body,
        onResponse: (status: number, body: string) => {
          // Approximate (the response's send time is not known here): only counts bodies.
          if (performance.now() >= windowOpensAt && status === 200 && body.includes('"errors":')) withErrors += 1;
        },
      },
    ],
  }, (error, result) => (error ? fail(error) : finish(result)));
  const startedAt = performance.now();
  windowOpensAt = startedAt + warmupMs;
  const opening = setTimeout(() => options.onMeasureStart?.(), warmupMs);
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    if (performance.now() - responseTime < windowOpensAt) return;
    requests += 1;
    if (status < 300) latencies.push(responseTime);
    else if (status >= 500) serverErrors += 1;
    else clientErrors += 1;
  });
  const ticker = options.onTick ? setInterval(options.onTick, 1000) : undefined;
  const result = await done;
  clearInterval(ticker);
  clearTimeout(opening);
  latencies.sort((a, b) => a - b);
  return {
    requests,
    requestsPerSec: requests / options.durationSec,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    serverErrors,
    clientErrors,
    withErrors,
    transportErrors: result.errors + result.timeouts,
    durationSec: options.durationSec,
    latencies,
  };
}

/** The `q` quantile (0-1) of ascending values. */
export const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/** Two runs of the same load as one. */
export function combine(a: LoadResult, b: LoadResult): LoadResult {
  const latencies = [...a.latencies, ...b.latencies].sort((x, y) => x - y);
  const durationSec = a.durationSec + b.durationSec;
  const requests = a.requests + b.requests;
  return {
    requests,
    requestsPerSec: requests / durationSec,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    serverErrors: a.serverErrors + b.serverErrors,
    clientErrors: a.clientErrors + b.clientErrors,
    withErrors: a.withErrors + b.withErrors,
    transportErrors: a.transportErrors + b.transportErrors,
    durationSec,
    latencies,
  };
}

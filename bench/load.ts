import autocannon from 'autocannon';
import type { Request } from './scenarios.js';

/** One timed load run from this process (the load generator), measured per response. */

export interface LoadOptions {
  url: string;
  request: Request;
  connections: number;
  durationSec: number;
  /** Requests per second across all connections; unset means as fast as the server answers. */
  overallRate?: number;
  /** Called every second while the load runs (the bench trims simulator logs, samples memory). */
  onTick?: () => void;
}

export interface LoadResult {
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
  /** Requests that got no response (connection errors, timeouts). */
  transportErrors: number;
  durationSec: number;
  /** Every 2xx response time, ascending, in milliseconds. */
  latencies: number[];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  // autocannon's own histogram keeps whole milliseconds; the targets are about fractions of one.
  const latencies: number[] = [];
  let withErrors = 0;
  let finish: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => ([finish, fail] = [resolve, reject]));
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSec,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: options.request.path,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: options.request.body,
        onResponse: (status: number, body: string) => {
          if (status === 200 && body.includes('"errors":')) withErrors += 1;
        },
      },
    ],
  }, (error, result) => (error ? fail(error) : finish(result)));
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    if (status < 300) latencies.push(responseTime);
  });
  const ticker = options.onTick ? setInterval(options.onTick, 1000) : undefined;
  const result = await done;
  clearInterval(ticker);
  latencies.sort((a, b) => a - b);
  const codes = result.statusCodeStats as Record<string, { count: number }>;
  const count = (test: (code: number) => boolean) =>
    Object.entries(codes).reduce((sum, [code, { count }]) => (test(Number(code)) ? sum + count : sum), 0);
  return {
    requests: result.requests.total,
    requestsPerSec: result.requests.total / options.durationSec,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    serverErrors: count((c) => c >= 500),
    clientErrors: count((c) => c >= 300 && c < 500),
    withErrors,
    transportErrors: result.errors + result.timeouts,
    durationSec: options.durationSec,
    latencies,
  };
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

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

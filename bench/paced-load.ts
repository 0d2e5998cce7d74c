import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { percentile, type LoadOptions, type LoadResult } from './load.js';

/**
 * A fixed offered load with requests evenly spaced in time (open loop: a request is sent
 * when it is due, whether or not earlier ones were answered).
 *
 * Why not autocannon's `overallRate`: its connections fire together, so "40 req/s on 20
 * connections" arrived as bursts of 20 requests every half second (the gateway's running
 * gauge, sampled every 10 ms, read 0 most of the time and up to 20), and latency then
 * measured how long a burst queues for the CPU rather than what a server adds to the
 * upstream time.
 */
export async function runPaced(options: LoadOptions & { overallRate: number }): Promise<LoadResult> {
  const pool = new Pool(options.url, { connections: options.connections });
  const intervalMs = 1000 / options.overallRate;
  const warmupMs = (options.warmupSec ?? 0) * 1000;
  const endMs = warmupMs + options.durationSec * 1000;
  const latencies: number[] = [];
  let [requests, serverErrors, clientErrors, withErrors, transportErrors] = [0, 0, 0, 0, 0];

  const send = async (counted: boolean) => {
    const sentAt = performance.now();
    try {
      const response = await pool.request({
        method: 'POST',
        path: options.request.path,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: options.request.body,
      });
      const body = await response.body.text();
      if (!counted) return;
      requests += 1;
      if (response.statusCode < 300) {
        latencies.push(performance.now() - sentAt);
        if (body.includes('"errors":')) withErrors += 1;
      } else if (response.statusCode >= 500) serverErrors += 1;
      else clientErrors += 1;
    } catch {
      transportErrors += 1;
    }
  };

  const ticker = options.onTick ? setInterval(options.onTick, 1000) : undefined;
  const startedAt = performance.now();
  const inFlight = new Set<Promise<void>>();
  let opened = warmupMs === 0;
  if (opened) options.onMeasureStart?.();
  for (let index = 0; index * intervalMs < endMs; index++) {
    const dueMs = index * intervalMs;
    // Each send is scheduled from the start, so timer lateness never accumulates.
    const wait = startedAt + dueMs - performance.now();
    if (wait > 0) await sleep(wait);
    if (!opened && dueMs >= warmupMs) {
      opened = true;
      options.onMeasureStart?.();
    }
    const sending = send(opened).finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  }
  await Promise.all(inFlight);
  clearInterval(ticker);
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    requests,
    requestsPerSec: requests / options.durationSec,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    serverErrors,
    clientErrors,
    withErrors,
    transportErrors,
    durationSec: options.durationSec,
    latencies,
  };
}

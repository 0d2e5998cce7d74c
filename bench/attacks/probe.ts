import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { percentile } from '../load.js';
import type { Request } from '../scenarios.js';

export interface ProbeResult {
  sent: number;
  /** 200 without GraphQL errors. */
  ok: number;
  /** 200 whose body carries errors (a source failed): answered, not refused. */
  partial: number;
  /** Any other status: refused by the gateway (503, 429, 408...), by status. */
  refused: Record<string, number>;
  /** No answer at all (connection error, or none within the probe's timeout). */
  failed: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ProbeOptions {
  url: string;
  request: Request;
  /** Requests per second, evenly spaced (open loop: a slow answer does not delay the next request). */
  rate: number;
  seconds: number;
  headers: Record<string, string>;
  /** An answer that takes longer counts as failed (and bounds how long an attack's probe can run over). @default 10000 */
  timeoutMs?: number;
}

/**
 * The victim: the reference inbox query at a modest steady rate, timed per answer. Its
 * own pool, so an attack's connections never queue ahead of it in this process.
 */
export async function runProbe(options: ProbeOptions): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pool = new Pool(options.url, { connections: 16, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const latencies: number[] = [];
  const result: ProbeResult = { sent: 0, ok: 0, partial: 0, refused: {}, failed: 0, p50Ms: Number.NaN, p99Ms: Number.NaN };
  const send = async () => {
    const sentAt = performance.now();
    result.sent += 1;
    try {
      const response = await pool.request({
        method: 'POST',
        path: options.request.path,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
        body: options.request.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await response.body.text();
      if (response.statusCode === 200) {
        latencies.push(performance.now() - sentAt);
        if (body.includes('"errors":')) result.partial += 1;
        else result.ok += 1;
      } else {
        result.refused[response.statusCode] = (result.refused[response.statusCode] ?? 0) + 1;
      }
    } catch {
      result.failed += 1;
    }
  };

  const intervalMs = 1000 / options.rate;
  const startedAt = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (let index = 0; index * intervalMs < options.seconds * 1000; index++) {
    // Scheduled from the start, so timer lateness does not accumulate.
    const wait = startedAt + index * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(send());
  }
  await Promise.all(inFlight);
  await pool.destroy();
  latencies.sort((a, b) => a - b);
  return { ...result, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
}

export const refusedCount = (probe: ProbeResult) => Object.values(probe.refused).reduce((sum, n) => sum + n, 0);

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startRedisServer } from '../test/shared-state/redis-server.js';
import { combine, runLoad } from './load.js';
import { buildServers, freePort, startGateway, startSandboxProcess, type Child } from './processes.js';
import { createControl, PROVIDERS, type Provider } from './sandbox-control.js';
import { inbox } from './scenarios.js';

/**
 * `npm run bench -- --replicas`: two Parley processes over one Redis and one set of
 * simulators, loaded past what the providers' quotas allow (client-side: half the
 * connections on each replica). Reports req/s, upstream calls per request, and the calls
 * each simulator received per second against the configured quota.
 */

const { values: args } = parseArgs({
  options: {
    replicas: { type: 'boolean', default: true },
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '100' },
    quota: { type: 'string', default: '50' },
  },
});
const durationSec = Number(args.duration);
const connections = Number(args.connections);
const quota = Number(args.quota);
const REPLICAS = 2;
const SAMPLE_MS = 50;

type Sample = { at: number; counts: Record<Provider, number> };

/**
 * The most calls in one second of the clock (quota windows are aligned to it, as
 * providers' fixed windows are): the count at the last sample of the second minus the
 * count at the last sample of the one before; whole seconds only.
 */
function busiestSecond(samples: readonly Sample[], provider: Provider): number {
  const lastOf = new Map<number, number>();
  for (const sample of samples) lastOf.set(Math.floor(sample.at / 1000), sample.counts[provider]);
  let peak = 0;
  for (const [second, count] of lastOf) {
    const before = lastOf.get(second - 1);
    if (before !== undefined) peak = Math.max(peak, count - before);
  }
  return peak;
}

const redis = await startRedisServer();
const children: Child[] = [];
const stopAll = async () => {
  await Promise.all(children.slice(1).map((child) => child.stop()));
  await children[0]?.stop();
  await redis.stop();
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

try {
  buildServers();
  const sandbox = await startSandboxProcess();
  children.push(sandbox);
  const control = createControl(sandbox.info.urls);
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-replicas-'));
  for (let i = 0; i < REPLICAS; i += 1) {
    const port = await freePort();
    const path = join(dir, `replica-${i}.json`);
    writeFileSync(
      path,
      JSON.stringify({
        port,
        host: '127.0.0.1',
        cursorSecret: 'parley-bench-cursor-secret',
        metrics: false,
        redis: { url: redis.url, keyPrefix: 'bench:' },
        sources: sandbox.info.sources.map((source) => ({ ...source, quota: { requests: quota, perSeconds: 1 } })),
        resilience: { concurrency: { perSource: 256, queue: 1024 } },
      }),
    );
    children.push(await startGateway({ path, port }));
  }
  const gateways = children.slice(1);

  await control.resetRequests();
  // The simulators' running counts, read every SAMPLE_MS with the time they were read.
  const samples: Sample[] = [];
  let sampling = false;
  const sampler = setInterval(() => {
    if (sampling) return;
    sampling = true;
    const sentAt = Date.now();
    // The counts were read somewhere between sending and the answer: the midpoint stands for it.
    void control.requests().then((counts) => {
      samples.push({ at: (sentAt + Date.now()) / 2, counts });
      sampling = false;
    });
  }, SAMPLE_MS);
  const request = inbox(null).parley;
  const startedAt = Date.now();
  const [first, ...rest] = await Promise.all(
    gateways.map((gateway) => runLoad({ url: gateway.url, request, connections: Math.ceil(connections / REPLICAS), durationSec })),
  );
  clearInterval(sampler);
  const elapsedSec = (Date.now() - startedAt) / 1000;
  const load = rest.reduce(combine, first!);
  const totals = await control.requests();
  const calls = PROVIDERS.reduce((sum, p) => sum + totals[p], 0);
  // `combine` adds the durations of runs that ran side by side: the rate is over the wall-clock window.
  const requestsPerSec = load.requests / durationSec;

  const rows = PROVIDERS.map((p) => {
    const peak = busiestSecond(samples, p);
    return `| ${p} | ${quota}/s | ${(totals[p] / elapsedSec).toFixed(1)} | ${peak} | ${totals[p]} | ${Math.ceil(elapsedSec) * quota + quota} |`;
  });
  console.log(
    [
      `Two replicas over one Redis, ${connections} clients (half on each), ${durationSec} s, inbox page 1 (3 sources), 0 ms upstream; quota ${quota} calls/s per source.`,
      '',
      `| req/s | p50 ms | p99 ms | 5xx | with errors | upstream calls per request |`,
      `|---|---|---|---|---|---|`,
      `| ${requestsPerSec.toFixed(0)} | ${load.p50Ms.toFixed(1)} | ${load.p99Ms.toFixed(1)} | ${load.serverErrors} | ${((100 * load.withErrors) / Math.max(1, load.requests)).toFixed(1)} % | ${(calls / Math.max(1, load.requests)).toFixed(2)} |`,
      '',
      '| source | quota | calls/s (mean) | most calls in one clock second | calls in all | allowed in all (quota x seconds + one window) |',
      '|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
} finally {
  await stopAll();
}

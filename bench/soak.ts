import { runLoad } from './load.js';
import { memory, type Child, type SandboxInfo } from './processes.js';
import type { Control } from './sandbox-control.js';
import { scenarios } from './scenarios.js';

/**
 * Soak: the reference inbox query on Parley at half the throughput it reached in a short
 * full-speed run, for `seconds`, while every simulator fails 1% of its requests (5xx,
 * reset connections, cut-off bodies). Reports the gateway's 5xx answers and how its
 * resident memory moved.
 */

export interface SoakOptions {
  gateway: Child;
  control: Control;
  sandbox: SandboxInfo;
  seconds: number;
  connections: number;
  /** Length of the full-speed run that measures capacity. */
  capacitySec: number;
}

/** Shares of upstream requests that fail, per kind: 1% in all. */
const FAULTS = [
  { kind: 'error', status: 503, rate: 0.005 },
  { kind: 'reset', rate: 0.003 },
  { kind: 'malformed', rate: 0.002 },
];
const SAMPLE_EVERY_SEC = 5;

export async function runSoak(options: SoakOptions): Promise<string> {
  const { gateway, control } = options;
  const inbox = scenarios(options.sandbox).find((s) => s.key === 'inbox')!;
  const { parley: request } = await inbox.prepare(gateway.url, gateway.url);
  const trim = () => void control.resetRequests().catch(() => undefined);

  console.log(`capacity: ${options.capacitySec} s at full speed ...`);
  const capacity = await runLoad({ url: gateway.url, request, connections: options.connections, durationSec: options.capacitySec, onTick: trim });
  const rate = Math.max(1, Math.round(capacity.requestsPerSec / 2));

  for (const rule of FAULTS) await control.addFault(rule);
  const pid = gateway.process.pid!;
  const samples: Array<{ at: number; rss: number }> = [];
  let tick = 0;
  console.log(`soak: ${options.seconds} s at ${rate} req/s with 1% upstream faults ...`);
  const soak = await runLoad({
    url: gateway.url,
    request,
    connections: options.connections,
    durationSec: options.seconds,
    overallRate: rate,
    onTick: () => {
      trim();
      tick += 1;
      if (tick % SAMPLE_EVERY_SEC === 0) samples.push({ at: tick, rss: memory(pid, 'VmRSS') });
    },
  });
  await control.clearFaults();

  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  // The first tenth is warm-up (JIT, caches, pools); drift is measured from there on.
  const settled = samples.filter((s) => s.at >= options.seconds / 10);
  const first = settled[0] ?? samples[0];
  const last = samples[samples.length - 1];
  const slope = first && last && last.at > first.at ? ((last.rss - first.rss) / (last.at - first.at)) * 60 : Number.NaN;
  return [
    `Soak on ${new Date().toISOString().slice(0, 10)}: \`npm run bench -- --soak ${options.seconds}\`, inbox page 1 at ${rate} req/s (half of ${capacity.requestsPerSec.toFixed(0)} req/s measured at full speed), ${options.connections} connections, every simulator failing 1% of requests (0.5% HTTP 503, 0.3% reset connections, 0.2% cut-off bodies).`,
    '',
    '| figure | value |',
    '|---|---:|',
    `| requests answered | ${soak.requests} (${soak.requestsPerSec.toFixed(0)} req/s) |`,
    `| gateway 5xx answers | ${soak.serverErrors} |`,
    `| other non-2xx answers | ${soak.clientErrors} |`,
    `| no answer (connection errors, timeouts) | ${soak.transportErrors} |`,
    `| 200s carrying a source error (partial page) | ${soak.withErrors} (${((100 * soak.withErrors) / Math.max(1, soak.requests)).toFixed(2)}%) |`,
    `| latency p50 / p99 | ${soak.p50Ms.toFixed(2)} ms / ${soak.p99Ms.toFixed(2)} ms |`,
    `| RSS after warm-up → end | ${first ? mb(first.rss) : '?'} MB → ${last ? mb(last.rss) : '?'} MB |`,
    `| RSS drift | ${Number.isFinite(slope) ? `${(slope / 1024 / 1024).toFixed(2)} MB/min` : '?'} (max ${mb(Math.max(...samples.map((s) => s.rss)))} MB) |`,
  ].join('\n');
}

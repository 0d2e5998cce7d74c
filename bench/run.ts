import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { combine, runLoad, type LoadResult } from './load.js';
import { runPaced } from './paced-load.js';
import { buildServers, cpuTimeMs, memory, resetPeak, startBaseline, startGateway, startSandboxProcess, writeConfig, type Child } from './processes.js';
import { machine, ratios, table, targets, writeBlock, type ScenarioRow } from './report.js';
import { createControl, PROVIDERS, type Control } from './sandbox-control.js';
import { comparePages, inbox, post, scenarios, type Request } from './scenarios.js';
import { runSoak } from './soak.js';

/**
 * `npm run bench`: Parley against the hand-written baseline over the same simulators,
 * scenario by scenario, each server loaded in turn by autocannon from this process.
 * `npm run bench -- --soak 600`: Parley alone at half its capacity with 1% upstream faults.
 * `npm run bench -- --attack`: issue 11's attacks against Parley (bench/attack.ts, its own options).
 * `npm run bench -- --replicas`: two replicas over one Redis under a provider quota (bench/replicas.ts).
 */

if (process.argv.includes('--attack')) {
  await import('./attack.js');
  process.exit(0);
}
if (process.argv.includes('--replicas')) {
  await import('./replicas.js');
  process.exit(0);
}

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '100' },
    scenarios: { type: 'string' },
    soak: { type: 'string' },
    profile: { type: 'boolean', default: false },
    /** Per-source cap on Parley's upstream calls in flight; `default` keeps Parley's own. */
    'upstream-concurrency': { type: 'string', default: '256' },
    'no-write': { type: 'boolean', default: false },
  },
});
const durationSec = Number(args.duration);
const warmupSec = Number(args.warmup);
const connections = Number(args.connections);
const ROOT = resolve(import.meta.dirname, '..');
/** Requests sent one at a time to count upstream calls exactly (no other load meanwhile). */
const COUNTED_REQUESTS = 10;

const children: Child[] = [];
/** Servers first, simulators last: requests still in flight must not fail on a closed simulator. */
const stopAll = async () => {
  await Promise.all(children.slice(1).map((c) => c.stop()));
  await children[0]?.stop();
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

buildServers();
const sandbox = await startSandboxProcess();
children.push(sandbox);
const control = createControl(sandbox.info.urls);
const upstreamConcurrency = args['upstream-concurrency'] === 'default' ? undefined : Number(args['upstream-concurrency']);
const config = await writeConfig(sandbox.info, upstreamConcurrency);
const profileDir = args.profile ? resolve(ROOT, '.scratch/profiles') : undefined;
const gateway = await startGateway(config, profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []);
children.push(gateway);

try {
  if (args.soak !== undefined) {
    const soak = await runSoak({ gateway, control, sandbox: sandbox.info, seconds: Number(args.soak), connections, capacitySec: durationSec });
    console.log(`\n${soak}`);
    if (!args['no-write']) writeBlock(resolve(ROOT, 'BENCHMARKS.md'), 'soak', soak);
  } else {
    const baseline = await startBaseline(config);
    children.push(baseline);
    const rows = await compare(gateway, baseline, control);
    const report = [
      `Run on ${new Date().toISOString().slice(0, 10)}: ${machine()}.`,
      `Command: \`npm run bench -- --duration ${durationSec} --warmup ${warmupSec} --connections ${connections} --upstream-concurrency ${args['upstream-concurrency']}\` (${durationSec} s per scenario per server, in two halves ordered Parley, baseline, baseline, Parley, each after ${warmupSec} s of warm-up on the same connections; ${connections} concurrent clients; upstream calls counted at the simulators over ${COUNTED_REQUESTS} requests sent one at a time; Parley's per-source cap on upstream calls in flight: ${upstreamConcurrency ? `${upstreamConcurrency}, queue ${upstreamConcurrency * 4}` : 'its default'}).`,
      '',
      table(rows),
      '',
      ratios(rows),
      '',
      '### Targets',
      '',
      targets(rows),
    ].join('\n');
    console.log(`\n${report}`);
    if (!args['no-write']) writeBlock(resolve(ROOT, 'BENCHMARKS.md'), 'main', report);
  }
} finally {
  await control.setLatency(0).catch(() => undefined);
  await stopAll();
}
if (profileDir) console.log(`CPU profile of the gateway written to ${profileDir}`);

async function compare(gateway: Child, baseline: Child, control: Control): Promise<ScenarioRow[]> {
  const rows: ScenarioRow[] = [];
  const wanted = args.scenarios?.split(',');
  for (const scenario of scenarios(sandbox.info).filter((s) => !wanted || wanted.includes(s.key))) {
    console.log(`${scenario.title} ...`);
    await control.setLatency(scenario.latencyMs);
    const requests = await scenario.prepare(gateway.url, baseline.url);
    const pageDiff = comparePages(await post(gateway.url, requests.parley), await post(baseline.url, requests.baseline));
    const parleyCalls = await countCalls(gateway.url, requests.parley, control);
    const baselineCalls = await countCalls(baseline.url, requests.baseline, control);
    // Parley, baseline, baseline, Parley: whatever else the machine does drifts over both alike.
    const load = scenario.fixedLoad ?? { connections };
    const p1 = await measure(gateway, requests.parley, control, load);
    const b1 = await measure(baseline, requests.baseline, control, load);
    const b2 = await measure(baseline, requests.baseline, control, load);
    const p2 = await measure(gateway, requests.parley, control, load);
    const row: ScenarioRow = {
      key: scenario.key,
      title: scenario.title,
      fixedRate: scenario.fixedLoad !== undefined,
      parley: { ...combine(p1, p2), peakRssBytes: Math.max(p1.peakRssBytes, p2.peakRssBytes), cpuMs: p1.cpuMs + p2.cpuMs, calls: parleyCalls.perRequest },
      baseline: { ...combine(b1, b2), peakRssBytes: Math.max(b1.peakRssBytes, b2.peakRssBytes), cpuMs: b1.cpuMs + b2.cpuMs, calls: baselineCalls.perRequest },
      pageDiff,
      callsDiff: firstDifference(parleyCalls.log, baselineCalls.log),
      ...(scenario.key === 'page-10'
        ? { walk: { parley: await walkCalls(gateway.url, 'parley', control), baseline: await walkCalls(baseline.url, 'baseline', control) } }
        : {}),
    };
    rows.push(row);
    console.log(`  Parley ${row.parley.requestsPerSec.toFixed(0)} req/s, baseline ${row.baseline.requestsPerSec.toFixed(0)} req/s`);
  }
  return rows;
}

/** Warm-up, then a timed window of half the duration on the same connections; the peak RSS is the child's `VmHWM` over the window. */
async function measure(
  child: Child,
  request: Request,
  control: Control,
  load: { connections: number; rate?: number },
): Promise<LoadResult & { peakRssBytes: number; cpuMs: number }> {
  // The simulators keep the last 10,000 requests; trimming keeps that bookkeeping small under load.
  const onTick = () => void control.resetRequests().catch(() => undefined);
  const pid = child.process.pid!;
  let cpuBefore = cpuTimeMs(pid);
  const options = {
    url: child.url,
    request,
    connections: load.connections,
    warmupSec,
    durationSec: durationSec / 2,
    onTick,
    onMeasureStart: () => {
      // Where the kernel refuses the reset, the peak covers the process's whole life: still an upper bound.
      resetPeak(pid);
      cpuBefore = cpuTimeMs(pid);
    },
  };
  // A fixed rate is sent evenly spaced (bench/paced-load.ts); otherwise as fast as the server answers.
  const result = load.rate ? await runPaced({ ...options, overallRate: load.rate }) : await runLoad(options);
  return { ...result, peakRssBytes: memory(pid, 'VmHWM'), cpuMs: cpuTimeMs(pid) - cpuBefore };
}

/** Upstream calls per request, counted at the simulators over requests sent one at a time. */
async function countCalls(url: string, request: Request, control: Control) {
  await control.resetRequests();
  for (let i = 0; i < COUNTED_REQUESTS; i++) await post(url, request);
  const counts = await control.requests();
  const log = await control.log();
  await control.resetRequests();
  const perRequest = Object.fromEntries(PROVIDERS.map((p) => [p, counts[p] / COUNTED_REQUESTS]));
  return { perRequest, log };
}

/** Upstream calls of each of the first `pages` pages of the inbox walk, counted at the simulators, one request at a time. */
async function walkCalls(url: string, server: 'parley' | 'baseline', control: Control, pages = 10): Promise<number[]> {
  const calls: number[] = [];
  let after: string | null = null;
  for (let page = 1; page <= pages; page++) {
    await control.resetRequests();
    const json = await post(url, inbox(after)[server]);
    const counts = await control.requests();
    calls.push(PROVIDERS.reduce((sum, provider) => sum + counts[provider], 0));
    after = json.data.conversations.pageInfo.endCursor;
  }
  await control.resetRequests();
  return calls;
}

function firstDifference(a: Record<string, string[]>, b: Record<string, string[]>): string | null {
  for (const provider of PROVIDERS) {
    const [x, y] = [[...a[provider]!].sort(), [...b[provider]!].sort()];
    const i = x.findIndex((entry, index) => entry !== y[index]);
    if (i >= 0 || x.length !== y.length) {
      return `${provider}: Parley ${x.length} requests, baseline ${y.length}; first difference: ${x[i === -1 ? y.length : i] ?? '-'} vs ${y[i === -1 ? x.length : i] ?? '-'}`;
    }
  }
  return null;
}

import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { amplification } from './attacks/amplification.js';
import type { Attack, AttackTarget } from './attacks/attack.js';
import { KEYS, writeAttackConfig } from './attacks/config.js';
import { graphiqlReaders } from './attacks/graphiql-readers.js';
import { hugeBody, hugeRows } from './attacks/hostile-upstream.js';
import { metricsScrape } from './attacks/metrics-scrape.js';
import { refusedCount, runProbe, type ProbeResult } from './attacks/probe.js';
import { slowBody } from './attacks/slow-body.js';
import { memory, resetPeak, startGateway, startSandboxProcess, type Child } from './processes.js';
import { createControl, PROVIDERS, type Control } from './sandbox-control.js';
import { inbox } from './scenarios.js';

/**
 * `npm run bench:attack` (or `npm run bench -- --attack`): issue 11's attacks, one after
 * another, each for a bounded time against a gateway in its own process on loopback,
 * while a probe client sends the reference inbox query at a steady modest rate with the
 * victim's key. Prints probe p50/p99 under each attack next to the idle figure.
 */

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    'probe-rate': { type: 'string', default: '20' },
    /** Comma-separated attack keys; all by default. */
    attacks: { type: 'string' },
    /** JSON merged into both gateway configs, e.g. '{"metrics":{"port":0}}'. */
    'config-extra': { type: 'string', default: '{}' },
    /** Requests per second the attacker's key may send (its `rateLimit`); none by default. */
    'attacker-rate-limit': { type: 'string' },
    // Accepted so that `npm run bench -- --attack` can hand its arguments on unchanged.
    attack: { type: 'boolean', default: false },
  },
});
const seconds = Number(args.seconds);
const probeRate = Number(args['probe-rate']);
const extra = JSON.parse(args['config-extra']) as Record<string, unknown>;
/** Order: the attacks that leave memory behind run last on their gateway. */
const ATTACKS: Attack[] = [slowBody, amplification, metricsScrape, hugeBody, hugeRows, graphiqlReaders];
const wanted = args.attacks?.split(',');
const RAMP_MS = 1000;
const SETTLE_MS = 1500;

interface Row {
  gateway: 'keyed' | 'open';
  title: string;
  probe: ProbeResult;
  outcome: string;
  upstreamPerSec: number;
  rssPeakBytes: number;
  idle?: Row;
}

const children: Child[] = [];
const stopAll = async () => {
  await Promise.all(children.slice(1).map((c) => c.stop()));
  await children[0]?.stop();
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

// The gateway runs compiled, as `npm start` runs it; the baseline is not needed here.
const ROOT = resolve(import.meta.dirname, '..');
execFileSync(process.execPath, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
const sandbox = await startSandboxProcess();
children.push(sandbox);
const control = createControl(sandbox.info.urls);
const rows: Row[] = [];

try {
  for (const setup of ['keyed', 'open'] as const) {
    const attacks = ATTACKS.filter((a) => a.gateway === setup && (!wanted || wanted.includes(a.key)));
    if (attacks.length === 0) continue;
    const config = await writeAttackConfig(sandbox.info, setup === 'keyed', extra, args['attacker-rate-limit'] ? Number(args['attacker-rate-limit']) : undefined);
    let gateway = await startGateway(config);
    children.push(gateway);
    const victim: Record<string, string> = setup === 'keyed' ? { authorization: `Bearer ${KEYS.victim}` } : {};
    const target = (): AttackTarget => ({
      url: gateway.url,
      metricsUrl: config.metricsPort === null ? null : `http://127.0.0.1:${config.metricsPort}`,
      attackerAuth: setup === 'keyed' ? { authorization: `Bearer ${KEYS.attacker}` } : {},
      sandbox: sandbox.info,
      control,
    });
    await runProbe({ url: gateway.url, request: inbox(null).parley, rate: 20, seconds: 2, headers: victim });

    console.log(`${setup} gateway: idle ...`);
    const idle = await measure(gateway, setup, 'idle', victim, async () => ({ stop: async () => '-' }));
    rows.push(idle);
    for (const attack of attacks) {
      console.log(`${setup} gateway: ${attack.title} ...`);
      const row = await measure(gateway, setup, attack.title, victim, () => attack.start(target()));
      const died = !alive(gateway);
      rows.push({ ...row, idle, outcome: died ? `${row.outcome}; THE GATEWAY DIED` : row.outcome });
      if (died) {
        children.splice(children.indexOf(gateway), 1);
        gateway = await startGateway(config);
        children.push(gateway);
      }
      await sleep(SETTLE_MS);
    }
    await gateway.stop();
    children.splice(children.indexOf(gateway), 1);
  }
  console.log(`\n${report(rows)}`);
} finally {
  await control.clearFaults().catch(() => undefined);
  await stopAll();
}

/** One attack (or none): started, given a moment to take hold, then probed for `seconds`, then stopped. */
async function measure(
  gateway: Child,
  setup: Row['gateway'],
  title: string,
  victim: Record<string, string>,
  start: () => Promise<{ stop(): Promise<string> }>,
): Promise<Row> {
  const pid = gateway.process.pid!;
  resetPeak(pid);
  let rssPeakBytes = memory(pid, 'VmRSS');
  const upstream = countUpstream(control);
  // Read while it runs: a gateway that dies takes its own peak with it.
  const sampler = setInterval(() => {
    if (alive(gateway)) rssPeakBytes = Math.max(rssPeakBytes, memory(pid, 'VmHWM'));
  }, 250);
  // A failed start or probe must not leave the sampler, the upstream count or the attack running.
  let running: { stop(): Promise<string> } | null = null;
  let measured = false;
  try {
    running = await start();
    await sleep(RAMP_MS);
    const probe = await runProbe({ url: gateway.url, request: inbox(null).parley, rate: probeRate, seconds, headers: victim });
    const outcome = await running.stop();
    running = null;
    if (alive(gateway)) rssPeakBytes = Math.max(rssPeakBytes, memory(pid, 'VmHWM'));
    const upstreamPerSec = await upstream.stop();
    measured = true;
    return { gateway: setup, title, probe, outcome, upstreamPerSec, rssPeakBytes };
  } finally {
    clearInterval(sampler);
    if (!measured) {
      await running?.stop().catch(() => undefined);
      await upstream.stop();
    }
  }
}

/** Upstream calls per second at the simulators, counted in one-second steps (which also keeps their logs short). */
function countUpstream(control: Control) {
  let total = 0;
  const startedAt = performance.now();
  const read = async () => {
    const counts = await control.requests();
    await control.resetRequests();
    total += PROVIDERS.reduce((sum, p) => sum + counts[p], 0);
  };
  let reading: Promise<unknown> = control.resetRequests();
  const ticker = setInterval(() => {
    reading = reading.then(read).catch(() => undefined);
  }, 1000);
  return {
    async stop() {
      clearInterval(ticker);
      await reading.then(read).catch(() => undefined);
      return total / ((performance.now() - startedAt) / 1000);
    },
  };
}

function alive(child: Child): boolean {
  return child.process.exitCode === null && child.process.signalCode === null;
}

function report(rows: Row[]): string {
  const ms = (value: number) => (Number.isNaN(value) ? '-' : `${value.toFixed(1)} ms`);
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const answers = (p: ProbeResult) => {
    const refused = Object.entries(p.refused).map(([status, n]) => `${status} ×${n}`).join(', ');
    return `${p.ok + p.partial}/${p.sent}${p.partial ? ` (${p.partial} partial)` : ''}; ${refused ? `refused ${refused}` : '0 refused'}; ${p.failed} failed`;
  };
  const within = (row: Row) => (row.idle ? (row.probe.p99Ms <= 2 * row.idle.probe.p99Ms ? 'yes' : 'no') : '-');
  const lines = [
    `Run on ${new Date().toISOString().slice(0, 10)}: each attack ${seconds} s (after ${RAMP_MS / 1000} s to take hold), probe ${probeRate} req/s (reference inbox query, victim key: every source; attacker key: source cq only; GraphiQL against a gateway without keys).`,
    '',
    '| gateway | attack | probe p50 | probe p99 | p99 within 2x of idle | probe answered; refused; failed | attacker outcome | upstream calls/s | gateway RSS peak |',
    '|---|---|---:|---:|:---:|---|---|---:|---:|',
    ...rows.map((row) =>
      `| ${row.gateway} | ${row.title} | ${ms(row.probe.p50Ms)} | ${ms(row.probe.p99Ms)} | ${within(row)} | ${answers(row.probe)} | ${row.outcome} | ${row.upstreamPerSec.toFixed(0)} | ${mb(row.rssPeakBytes)} |`,
    ),
    '',
    ...rows.filter((row) => row.idle).map((row) => `probe p99 within 2x of idle under ${row.title}: ${within(row)}; nothing refused to the probe: ${refusedCount(row.probe) + row.probe.failed === 0 ? 'yes' : 'no'}`),
    `gateway RSS peak over the run: ${mb(Math.max(...rows.map((row) => row.rssPeakBytes)))}`,
  ];
  return lines.join('\n');
}

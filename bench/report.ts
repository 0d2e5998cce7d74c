import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { SIMULATORS } from '../src/sandbox/registry.js';
import type { LoadResult } from './load.js';

/** The bench's table, on the console and in BENCHMARKS.md. */

export interface ServerFigures extends LoadResult {
  /** Upstream requests per request, per simulator, counted at the simulators. */
  calls: Record<string, number>;
  peakRssBytes: number;
  /** CPU time the server process used over the timed runs. */
  cpuMs: number;
}

export interface ScenarioRow {
  key: string;
  title: string;
  /** Run at a fixed offered rate: throughput is the rate, latency is what compares. */
  fixedRate: boolean;
  parley: ServerFigures;
  baseline: ServerFigures;
  /** Null when both answered the same page; else what differs. */
  pageDiff: string | null;
  /** Null when both sent the same upstream requests; else the first difference. */
  callsDiff: string | null;
  /** Upstream calls of each page of a walk from page 1, one request at a time (the page-10 scenario). */
  walk?: { parley: number[]; baseline: number[] };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (value: number) => `${value.toFixed(2)} ms`;
const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);
/** The sandbox's source ids, shorter than the provider names in a table cell. */
const SOURCE_IDS: Record<string, string> = Object.fromEntries(SIMULATORS.map((simulator) => [simulator.provider, simulator.sourceId]));
const fmtCalls = (calls: Record<string, number>) =>
  `${round(total(calls))} (${Object.entries(calls).map(([p, n]) => `${SOURCE_IDS[p] ?? p} ${round(n)}`).join(', ')})`;
const round = (n: number) => String(Math.round(n * 100) / 100);
const cpuPerRequest = (f: ServerFigures) => f.cpuMs / Math.max(1, f.requests);
const errorsOf = (f: ServerFigures) => f.serverErrors + f.clientErrors + f.transportErrors + f.withErrors;

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${mb(totalmem()).replace(' MB', '')} MB RAM, Linux ${release()}, Node ${process.version}`;
}

export function table(rows: ScenarioRow[]): string {
  const lines = [
    '| scenario | server | req/s | p50 | p99 | CPU / request | upstream calls / request | peak RSS | error responses |',
    '|---|---|---:|---:|---:|---:|---|---:|---:|',
  ];
  for (const row of rows) {
    for (const [name, f] of [['Parley', row.parley], ['baseline', row.baseline]] as const) {
      lines.push(`| ${row.title} | ${name} | ${f.requestsPerSec.toFixed(0)} | ${ms(f.p50Ms)} | ${ms(f.p99Ms)} | ${ms(cpuPerRequest(f))} | ${fmtCalls(f.calls)} | ${mb(f.peakRssBytes)} | ${errorsOf(f)} |`);
    }
  }
  return lines.join('\n');
}

export function ratios(rows: ScenarioRow[]): string {
  const lines = [
    '| scenario | throughput Parley/baseline | p50 Parley − baseline | p99 Parley − baseline | CPU per request Parley/baseline | calls Parley/baseline | peak RSS Parley/baseline | same page | same upstream requests |',
    '|---|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const { title, parley: p, baseline: b, pageDiff, callsDiff, fixedRate } of rows) {
    lines.push(
      `| ${title} | ${fixedRate ? '(fixed rate)' : (p.requestsPerSec / b.requestsPerSec).toFixed(2)} | ${ms(p.p50Ms - b.p50Ms)} | ${ms(p.p99Ms - b.p99Ms)} | ${(cpuPerRequest(p) / cpuPerRequest(b)).toFixed(2)} | ${(total(p.calls) / total(b.calls)).toFixed(2)} | ${(p.peakRssBytes / b.peakRssBytes).toFixed(2)} | ${pageDiff ? 'NO' : 'yes'} | ${callsDiff ? 'NO' : 'yes'} |`,
    );
  }
  return lines.join('\n');
}

/** The targets of the benchmark issue, each checked against this run. */
export function targets(rows: ScenarioRow[]): string {
  const find = (key: string) => rows.find((r) => r.key === key);
  const check = (ok: boolean, text: string) => `- [${ok ? 'x' : ' '}] ${text}`;
  const lines: string[] = [];
  for (const row of rows.filter((r) => !r.fixedRate)) {
    const ratio = row.parley.requestsPerSec / row.baseline.requestsPerSec;
    lines.push(check(ratio >= 0.7, `${row.title}: throughput ≥ 0.7 × baseline (${ratio.toFixed(2)})`));
  }
  const slow = find('inbox-50ms');
  if (slow) {
    const d50 = slow.parley.p50Ms - slow.baseline.p50Ms;
    const d99 = slow.parley.p99Ms - slow.baseline.p99Ms;
    lines.push(check(d50 <= 1, `50 ms upstream: p50 within 1 ms of the baseline (${ms(d50)})`));
    lines.push(check(d99 <= 5, `50 ms upstream: p99 within 5 ms of the baseline (${ms(d99)})`));
  }
  const first = find('inbox');
  const sources = first ? Object.keys(first.parley.calls).length : 0;
  if (first) lines.push(check(Math.abs(total(first.parley.calls) - sources) < 0.01, `inbox page 1: upstream calls = number of sources, ${sources} (${round(total(first.parley.calls))})`));
  const tenth = find('page-10');
  if (first && tenth) {
    const [one, ten] = [total(first.parley.calls), total(tenth.parley.calls)];
    lines.push(check(Math.abs(one - ten) < 0.01, `page 10 costs what page 1 costs (${round(ten)} vs ${round(one)})`));
  }
  if (tenth?.walk) {
    const { parley, baseline } = tenth.walk;
    lines.push(`- upstream calls page by page, walking pages 1-${parley.length}: Parley ${parley.join(' ')} (most ${Math.max(...parley)}), baseline ${baseline.join(' ')}`);
  }
  const peak = Math.max(...rows.filter((r) => !r.fixedRate).map((r) => r.parley.peakRssBytes));
  lines.push(check(peak <= 150 * 1024 * 1024, `peak RSS of the gateway ≤ 150 MB at the bench's concurrency (${mb(peak)}; the baseline's: ${mb(Math.max(...rows.filter((r) => !r.fixedRate).map((r) => r.baseline.peakRssBytes)))})`));
  const differing = rows.filter((r) => r.pageDiff || r.callsDiff);
  lines.push(check(differing.length === 0, 'the baseline answered the same pages with the same upstream requests in every scenario'));
  for (const row of differing) {
    if (row.pageDiff) lines.push(`  - ${row.key} page: ${row.pageDiff}`);
    if (row.callsDiff) lines.push(`  - ${row.key} upstream requests: ${row.callsDiff}`);
  }
  return lines.join('\n');
}

/**
 * Replaces one generated block of BENCHMARKS.md (between `<!-- bench:NAME -->` markers),
 * keeping every other part of the file, such as notes written by hand.
 */
export function writeBlock(path: string, name: string, content: string): void {
  const [open, close] = [`<!-- bench:${name} -->`, `<!-- /bench:${name} -->`];
  const block = `${open}\n${content.trim()}\n${close}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(open);
  const end = current.indexOf(close);
  const next = start >= 0 && end > start ? current.slice(0, start) + block + current.slice(end + close.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}

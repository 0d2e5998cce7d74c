import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SimulatedProvider } from '../src/sandbox/registry.js';

/**
 * The bench's child processes: the simulators, the gateway and the baseline each get
 * their own Node process (and event loop); the load generator runs in the parent.
 */

const ROOT = resolve(import.meta.dirname, '..');
/** The simulators run from TypeScript through tsx's loader; the two servers run compiled, as `npm start` runs the gateway. */
const TSX = ['--import', 'tsx'];

/** Compiles the gateway (`dist/`) and the baseline (`dist-baseline/`) so that both run as plain JavaScript. */
export function buildServers(): void {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  for (const project of ['tsconfig.build.json', 'bench/baseline/tsconfig.json']) {
    execFileSync(process.execPath, [tsc, '-p', project], { cwd: ROOT, stdio: 'inherit' });
  }
}

export interface SandboxInfo {
  sources: Array<Record<string, unknown> & { id: string; provider: string; baseUrl: string }>;
  urls: Record<SimulatedProvider, string>;
  thread: { sourceId: string; conversationId: string; parts: number };
}

export interface Child {
  process: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

function spawn(entry: string, env: Record<string, string>, execArgv: string[] = []): ChildProcess {
  const child = fork(join(ROOT, entry), [], {
    cwd: ROOT,
    execArgv: [...(entry.endsWith('.ts') ? TSX : []), ...execArgv],
    // As `npm start` runs it: graphql-js, for one, skips its development-only checks.
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  // A child's log (the gateway warns on every failed upstream attempt) would drown the
  // table; its last lines are shown only if it dies.
  const tail: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    tail.push(...chunk.split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 20));
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGKILL') console.error(`${entry} exited with ${code ?? signal}:\n${tail.join('\n')}`);
  });
  return child;
}

function message<T>(child: ChildProcess, type: string, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${type}" message from ${child.spawnargs.join(' ')}`)), timeoutMs);
    child.on('message', (m: any) => {
      if (m?.type === type) {
        clearTimeout(timer);
        resolvePromise(m as T);
      }
    });
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.join(' ')} exited with ${code}`)));
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
}

export async function startSandboxProcess(): Promise<Child & { info: SandboxInfo }> {
  const child = spawn('bench/sandbox-process.ts', {});
  const info = await message<SandboxInfo>(child, 'ready');
  return { process: child, url: '', info, stop: stopper(child) };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/**
 * Parley's config for the bench: only what the bench needs, so fields others add keep
 * their defaults. No `apiKeys`: the gateway listens on loopback only. With
 * `upstreamConcurrency`, the per-source cap on calls in flight is raised so that it does
 * not bind at the bench's concurrency: the baseline has no such cap, and a cap that
 * sheds requests would make Parley look fast by failing them.
 */
export async function writeConfig(sandbox: SandboxInfo, upstreamConcurrency?: number): Promise<{ path: string; port: number }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const path = join(dir, 'config.json');
  const config = {
    port,
    host: '127.0.0.1',
    cursorSecret: 'parley-bench-cursor-secret',
    // The simulators enforce no rate limit and the baseline keeps no quota: a provider's documented one would bind here.
    // Live sweeps and polls an hour away: a background read must not land among the calls counted.
    sources: sandbox.sources.map((source) => ({ ...source, quota: false, ...('pollSeconds' in source ? { pollSeconds: 3600 } : {}) })),
    live: { sweepSeconds: 3600 },
    ...(upstreamConcurrency ? { resilience: { concurrency: { perSource: upstreamConcurrency, queue: upstreamConcurrency * 4 } } } : {}),
  };
  writeFileSync(path, JSON.stringify(config, null, 2));
  return { path, port };
}

async function waitReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${child.spawnargs.join(' ')} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url}/ready did not answer 200 within ${timeoutMs} ms`);
}

/** `dist/server.js` (see `buildServers`) with `PARLEY_CONFIG`; `execArgv` such as `--cpu-prof` go to its Node process. */
export async function startGateway(config: { path: string; port: number }, execArgv: string[] = []): Promise<Child> {
  const child = spawn('dist/server.js', { PARLEY_CONFIG: config.path }, execArgv);
  const url = `http://127.0.0.1:${config.port}`;
  await waitReady(url, child);
  return { process: child, url, stop: stopper(child) };
}

export async function startBaseline(config: { path: string }): Promise<Child> {
  const child = spawn('dist-baseline/server.js', { PARLEY_CONFIG: config.path, BASELINE_PORT: '0' });
  const { port } = await message<{ port: number }>(child, 'listening');
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child);
  return { process: child, url, stop: stopper(child) };
}

/** Resident set in bytes: `VmHWM` (the peak since the last reset) or `VmRSS` (now). */
export function memory(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** Starts a new peak (`VmHWM`) from the current resident set; false where the kernel does not allow it. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** CPU time (user + system) the process has used, in milliseconds, from `/proc/<pid>/stat` (clock ticks of 10 ms). */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; the fields after it are space-separated.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

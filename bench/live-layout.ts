import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { SimulatedProvider } from '../src/sandbox/registry.js';
import { isMeasured } from './live-measure.js';
import { freePort, startGateway, type Child } from './processes.js';

/**
 * What one layout of `npm run bench:live` runs: the simulators (a fresh world each time, so
 * no webhook of an earlier gateway is left registered) and one or two gateways. With two,
 * the first one started takes every lease (the Carrot quest feed, the Re:amaze poller, the
 * sweeps) and receives the Chatwoot webhook; subscribers go to the other.
 */

const ROOT = resolve(import.meta.dirname, '..');
export const KEY_PREFIX = 'bench-live:';

export interface LiveSandbox {
  sources: Array<Record<string, unknown> & { id: string; provider: SimulatedProvider; baseUrl: string }>;
  urls: Record<SimulatedProvider, string>;
  connectLive(gatewayUrl: string): Promise<void>;
  stop(): Promise<void>;
}

export interface Gateway extends Child {
  metricsUrl: string;
}

export interface Layout {
  sandbox: LiveSandbox;
  /** Receives the pushes and holds the leases. */
  receiver: Gateway;
  /** Holds the subscribers: the receiver itself with one gateway. */
  subscribed: Gateway;
  gateways: Gateway[];
  /** With Redis: who holds each lease now, to check after the run that none moved. */
  leaseHolders(): Promise<Record<string, string | null>>;
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

function nextMessage<T>(child: ChildProcess, types: string[], timeoutMs = 60_000): Promise<T & { type: string }> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the simulators sent none of ${types.join(', ')} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: any) => {
      if (!types.includes(message?.type)) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolvePromise(message);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`the simulators exited with ${code}`)));
  });
}

export async function startLiveSandbox(): Promise<LiveSandbox> {
  const child = fork(join(ROOT, 'bench/live-sandbox.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await nextMessage<Omit<LiveSandbox, 'connectLive' | 'stop'>>(child, ['ready']);
  return {
    sources: ready.sources.filter((source) => isMeasured(source.provider)),
    urls: ready.urls,
    async connectLive(gatewayUrl) {
      const answer = nextMessage<{ error?: string }>(child, ['live-connected', 'live-failed']);
      child.send({ type: 'connect-live', url: gatewayUrl });
      const { type, error } = await answer;
      if (type !== 'live-connected') throw new Error(`registering the simulators' push failed: ${error}`);
    },
    stop: () => stopChild(child),
  };
}

/** Only what the measurement needs; everything else keeps Parley's defaults. */
async function startLiveGateway(dir: string, name: string, sandbox: LiveSandbox, options: { redisUrl?: string; subscriptions: number }): Promise<Gateway> {
  const port = await freePort();
  const metricsPort = await freePort();
  const path = join(dir, `${name}.json`);
  const config = {
    port,
    host: '127.0.0.1',
    cursorSecret: 'parley-bench-cursor-secret',
    metrics: { port: metricsPort, host: '127.0.0.1' },
    // The simulators enforce no rate limit; a provider's documented quota would only slow the warm-up.
    sources: sandbox.sources.map((source) => ({ ...source, quota: false })),
    // Long, so that every event measured came from a push (or Re:amaze's poll), not from a sweep.
    live: { sweepSeconds: 600 },
    // Without API keys every subscriber is one caller: its per-key limit (100) must admit them all.
    limits: { subscriptions: { perKey: options.subscriptions, total: Math.max(10_000, options.subscriptions) } },
    ...(options.redisUrl ? { redis: { url: options.redisUrl, keyPrefix: KEY_PREFIX } } : {}),
  };
  writeFileSync(path, JSON.stringify(config, null, 2));
  const child = await startGateway({ path, port });
  return { ...child, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}

/** The Redis keys that show the first gateway runs every source's live work. */
function leaseKeys(sources: LiveSandbox['sources']): string[] {
  return sources.flatMap((source) => [`${KEY_PREFIX}lock:live:sweep:${source.id}`, ...(source.realtimeUrl ? [`${KEY_PREFIX}lock:live:feed:${source.id}`] : [])]);
}

export async function startLayout(options: { redisUrl?: string; subscriptions: number }): Promise<Layout> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-live-'));
  const sandbox = await startLiveSandbox();
  const started: Gateway[] = [];
  const redis = options.redisUrl ? new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 }) : null;
  const stop = async () => {
    redis?.disconnect();
    await Promise.all(started.map((gateway) => gateway.stop()));
    await sandbox.stop();
  };
  try {
    const receiver = await startLiveGateway(dir, 'receiver', sandbox, options);
    started.push(receiver);
    let subscribed = receiver;
    const keys = leaseKeys(sandbox.sources);
    if (redis) {
      await redis.connect();
      // The second gateway starts only once the first holds every lease and each source had its first sweep.
      const swept = sandbox.sources.map((source) => `${KEY_PREFIX}kv:live:swept:${source.id}`);
      const until = Date.now() + 30_000;
      while ((await redis.exists(...keys, ...swept)) < keys.length + swept.length) {
        if (Date.now() > until) throw new Error(`the first gateway did not take its leases within 30 s (${keys.join(', ')})`);
        await new Promise((r) => setTimeout(r, 100));
      }
      subscribed = await startLiveGateway(dir, 'subscribed', sandbox, options);
      started.push(subscribed);
    }
    await sandbox.connectLive(receiver.url);
    return {
      sandbox,
      receiver,
      subscribed,
      gateways: started,
      leaseHolders: async () => {
        if (!redis) return {};
        const values = await redis.mget(...keys);
        return Object.fromEntries(keys.map((key, i) => [key.slice(KEY_PREFIX.length), values[i] ?? null]));
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

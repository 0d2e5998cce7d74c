import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startRedisServer, type RedisServer } from '../shared-state/redis-server.js';

/**
 * Several gateway processes (src/server.ts, as an operator starts it) over one Redis and
 * one set of simulators, all on loopback ports the system picks.
 */

export interface Replica {
  readonly url: string;
  /** Of the metrics server, when the config has one. */
  readonly metricsUrl: string | null;
  /** The JSON log lines so far. */
  readonly log: Array<Record<string, unknown>>;
  query(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export interface ReplicaSet {
  redis: RedisServer;
  sandbox: Sandbox;
  replicas: Replica[];
  close(): Promise<void>;
}

export const CURSOR_SECRET = 'replica-test-cursor-secret-shared-by-all';

export async function startReplicaSet(count: number, config: (sandbox: Sandbox, redisUrl: string) => Record<string, unknown>): Promise<ReplicaSet> {
  const redis = await startRedisServer();
  const sandbox = await startSandbox({ conversations: 60 });
  const dir = mkdtempSync(join(tmpdir(), 'parley-replicas-'));
  const replicas: Replica[] = [];
  try {
    const started = await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const path = join(dir, `replica-${i}.json`);
        writeFileSync(path, JSON.stringify({ host: '127.0.0.1', port: 0, cursorSecret: CURSOR_SECRET, logLevel: 'info', metrics: false, ...config(sandbox, redis.url) }));
        return startReplica(path);
      }),
    );
    replicas.push(...started);
  } catch (error) {
    await Promise.all(replicas.map((r) => r.stop()));
    await sandbox.close();
    await redis.stop();
    throw error;
  }
  return {
    redis,
    sandbox,
    replicas,
    async close() {
      await Promise.all(replicas.map((replica) => replica.stop()));
      await sandbox.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const SERVING = /serving GraphQL.* at (http:\/\/[^ ]+)\/graphql/;
const METRICS = /^Metrics at (http:\/\/\S+)\/metrics/;

function startReplica(configPath: string): Promise<Replica> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PARLEY_CONFIG: configPath, VITEST: '', PARLEY_LOG_LEVEL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: Array<Record<string, unknown>> = [];
  let stderr = '';
  let metricsUrl: string | null = null;
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        let record: Record<string, unknown>;
        try {
          record = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        log.push(record);
        const msg = String(record.msg ?? '');
        const metrics = METRICS.exec(msg);
        if (metrics) metricsUrl = metrics[1]!;
        const serving = SERVING.exec(msg);
        if (serving) resolve(replica(serving[1]!));
      }
    });
    child.once('exit', (code) => reject(new Error(`a replica exited with ${code} before serving:\n${stderr.slice(-2000)}`)));
  });

  function replica(url: string): Replica {
    return {
      url,
      get metricsUrl() {
        return metricsUrl;
      },
      log,
      async query(query, variables = {}) {
        const response = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables }),
        });
        const text = await response.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Kept as text: a test names the status and shows it.
        }
        return { status: response.status, body };
      },
      stop() {
        if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
        return new Promise<void>((done) => {
          child.once('exit', () => done());
          child.kill('SIGTERM');
          // A replica stuck in shutdown must not hold the test run.
          setTimeout(() => child.kill('SIGKILL'), 5000).unref();
        });
      },
    };
  }
}

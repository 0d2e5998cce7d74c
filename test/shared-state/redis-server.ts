import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A private `redis-server` for one test file: Debian's binary on a free loopback port, no
 * persistence, stopped by its own pid. Tests skip (saying why) only when the binary is missing.
 */

export const REDIS_BINARY = process.env.PARLEY_REDIS_SERVER ?? '/usr/bin/redis-server';

/** Why Redis-backed tests cannot run here, or null when they can. */
export function redisMissing(): string | null {
  if (existsSync(REDIS_BINARY)) return null;
  const reason = `${REDIS_BINARY} is not installed (apt-get install redis-server): Redis-backed tests are skipped`;
  console.warn(reason);
  return reason;
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: it keeps nothing). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** On `port` when given (a test that started Parley before Redis), else on a free one. */
export async function startRedisServer(options: { port?: number } = {}): Promise<RedisServer> {
  for (let attempt = 0; ; attempt += 1) {
    const port = options.port ?? (await freePort());
    try {
      let child = await launch(port);
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        kill: () => stopChild(child, 'SIGKILL'),
        restart: async () => {
          child = await launch(port);
        },
        stop: () => stopChild(child, 'SIGTERM'),
      };
    } catch (error) {
      // Another process took the port between our check and redis-server's bind.
      if (options.port !== undefined || attempt >= 4) throw error;
    }
  }
}

function launch(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(REDIS_BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.resume();
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready:\n${output.slice(-500)}`)));
  });
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/**
 * A gateway process (src/server.ts, as an operator starts it) that a test may stop and
 * start again on the same port, as a rolling restart does: clients and webhooks keep the
 * address they had.
 */
export interface GatewayProcess {
  /** `http://127.0.0.1:<port>`, the same across restarts. */
  readonly origin: string;
  /** Bumped when a stop begins: a connection opened under an older generation is gone. */
  readonly generation: number;
  /** The newest log lines (for a failure message). */
  tail(): string;
  /** SIGTERM (graceful: leases released, connections closed), then the same config on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const SERVING = /serving GraphQL.* at (http:\/\/[^ ]+)\/graphql/;
const TAIL_LINES = 40;

export async function startGatewayProcess(configPath: string, config: Record<string, unknown>): Promise<GatewayProcess> {
  const lines: string[] = [];
  let generation = 0;
  writeFileSync(configPath, JSON.stringify({ ...config, port: 0 }));
  let child = await launch(configPath, lines);
  const origin = child.origin;
  const port = Number(new URL(origin).port);
  return {
    origin,
    get generation() {
      return generation;
    },
    tail: () => lines.slice(-TAIL_LINES).join('\n'),
    async restart() {
      generation += 1;
      await stopChild(child.process);
      writeFileSync(configPath, JSON.stringify({ ...config, port }));
      child = await launch(configPath, lines);
    },
    async stop() {
      generation += 1;
      await stopChild(child.process);
    },
  };
}

function launch(configPath: string, lines: string[]): Promise<{ process: ChildProcess; origin: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PARLEY_CONFIG: configPath, VITEST: '', PARLEY_LOG_LEVEL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const keep = (line: string) => {
      lines.push(line);
      if (lines.length > TAIL_LINES * 4) lines.splice(0, lines.length - TAIL_LINES);
    };
    child.stderr!.on('data', (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(keep));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        keep(line);
        const serving = SERVING.exec(line);
        if (serving) resolve({ process: child, origin: serving[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`a gateway exited with ${code} before serving:\n${lines.slice(-TAIL_LINES).join('\n')}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
    // A gateway stuck in shutdown must not hold the test run.
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

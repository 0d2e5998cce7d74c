import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `src/server.ts` started as an operator starts it, with a port someone else already holds. */

let taken: Server;
let port: number;
let dir: string;
beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  port = (taken.address() as AddressInfo).port;
  dir = mkdtempSync(join(tmpdir(), 'parley-start-'));
});
afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function start(config: Record<string, unknown>): Promise<{ code: number | null; stderr: string }> {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      host: '127.0.0.1',
      cursorSecret: 'start-up-test-cursor-secret-0123',
      logLevel: 'silent',
      sources: [{ id: 'cq', provider: 'carrotquest', baseUrl: 'http://127.0.0.1:9', appId: '1', token: 'start-up-test-token' }],
      ...config,
    }),
  );
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/server.ts'], { env: { ...process.env, PARLEY_CONFIG: path, VITEST: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('start-up on a port already in use', () => {
  it('exits 1 with one line naming the port, and no stack trace', async () => {
    const { code, stderr } = await start({ port, metrics: false });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`port ${port} on 127.0.0.1 is already in use`);
  }, 30_000);

  it('says the same of the metrics port', async () => {
    const { code, stderr } = await start({ port: 0, metrics: { port } });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`port ${port} on 127.0.0.1 is already in use`);
  }, 30_000);
});

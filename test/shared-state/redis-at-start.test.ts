import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createParley, type Parley } from '../../src/gateway/app.js';
import { parseConfig } from '../../src/config/schema.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { freePort, redisMissing, startRedisServer, type RedisServer } from './redis-server.js';

/** A replica whose Redis is not there yet serves on local state, says so once, and shares once Redis comes. */

const missing = redisMissing();
let sandbox: Sandbox;
let parley: Parley;
let redis: RedisServer | undefined;
let port: number;
const lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  if (missing) return;
  sandbox = await startSandbox({ conversations: 30 });
  port = await freePort();
  const config = parseConfig({
    cursorSecret: 'redis-at-start-cursor-secret-01',
    logLevel: 'info',
    metrics: false,
    redis: { url: `redis://127.0.0.1:${port}`, keyPrefix: 'at-start:' },
    sources: sandbox.sources(),
  });
  parley = createParley(config, { logDestination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
});
afterAll(async () => {
  await parley?.close();
  await sandbox?.close();
  await redis?.stop();
});

const said = (text: string) => lines.filter((line) => String(line.msg).startsWith(text)).length;
const ready = async () => {
  const response = await parley.yoga.fetch('http://parley/ready');
  return { status: response.status, body: await response.json() };
};

describe.skipIf(missing !== null)('Redis missing at start', () => {
  it('serves from local state and reports degraded, then shares once Redis answers', async () => {
    await parley.gateway.warmUp();
    expect(said('shared state (Redis) unreachable at start')).toBe(1);
    const page = await parley.yoga.fetch('http://parley/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ conversations(first: 5) { edges { node { id channel { name } } } } }' }),
    });
    expect(page.status).toBe(200);
    expect((await page.json()).errors).toBeUndefined();
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'degraded', sharedState: 'down' } });

    redis = await startRedisServer({ port });
    await vi.waitFor(async () => expect((await ready()).body).toMatchObject({ status: 'ready', sharedState: 'up' }), { timeout: 10_000, interval: 100 });
    expect(said('shared state (Redis) reachable again')).toBe(1);
    expect(said('shared state (Redis) unreachable')).toBe(1);
  }, 30_000);
});

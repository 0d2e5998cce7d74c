import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveOf } from '../../src/live/live-service.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { redisMissing, startRedisServer, type RedisServer } from '../shared-state/redis-server.js';
import { control, EVENTS_SUBSCRIPTION, KEY_ALL, startLiveGateway, subscribeSse, type LiveGateway } from './helpers.js';

/** Two gateways over one real Redis and one sandbox: the event log is the fan-out, and each source has one sweeper. */

const missing = redisMissing();
let redis: RedisServer;
let sandbox: Sandbox;
let a: LiveGateway;
let b: LiveGateway;

beforeAll(async () => {
  if (missing) return;
  redis = await startRedisServer();
  sandbox = await startSandbox({ conversations: 30, seed: 12 });
  const config = { redis: { url: redis.url, keyPrefix: 'live-replicas:' }, live: { sweepSeconds: 3600 } };
  a = await startLiveGateway(config, sandbox);
  b = await startLiveGateway(config, sandbox);
  await Promise.all([a.parley.gateway.warmUp(), b.parley.gateway.warmUp()]);
  // Until every source had its first sweep, which records where detection begins.
  const all = [...a.parley.gateway.sources.keys()].sort();
  for (let waited = 0; waited < 5000; waited += 100) {
    const swept = await Promise.all(all.map((id) => a.parley.gateway.shared.keyValues.get(`live:swept:${id}`)));
    if (swept.every((at) => at !== null)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});
afterAll(async () => {
  if (missing) return;
  await a?.close();
  await b?.close();
  await sandbox?.close();
  await redis?.stop();
});

describe.skipIf(missing !== null)('live events across replicas', () => {
  it('a change detected on one replica reaches a subscriber on the other', async () => {
    const sub = await subscribeSse(b.origin, KEY_ALL, EVENTS_SUBSCRIPTION, { filter: { sources: ['cw'] } });
    const open = await control(sandbox.chatwoot.url, 'conversation', {});
    await control(sandbox.chatwoot.url, 'reply', { id: open.id, from: 'contact', body: 'across replicas' });
    liveOf(a.parley.gateway).hint('cw', [{ conversationId: String(open.id) }], 'webhook');
    const event = await sub.waitUntil((e) => e.data.conversationEvents.part?.body === 'across replicas');
    expect(event.data.conversationEvents.conversation.nativeId).toBe(String(open.id));
    sub.close();
  });

  it('each source is swept by exactly one replica', async () => {
    const onA = liveOf(a.parley.gateway).sweeping();
    const onB = liveOf(b.parley.gateway).sweeping();
    expect([...onA, ...onB].sort()).toEqual([...a.parley.gateway.sources.keys()].sort());
    expect(onA.filter((id) => onB.includes(id))).toEqual([]);
  });
});

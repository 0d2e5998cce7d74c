import { createYoga } from 'graphql-yoga';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createReadinessCheck, useHealth } from '../../src/plugins/use-health.js';
import { schema } from '../../src/schema/index.js';
import { SIMULATORS } from '../../src/sandbox/registry.js';
import { startHarness, type Harness } from '../gateway/harness.js';

let h: Harness;
beforeAll(async () => {
  // With API keys configured: probes must still answer without one.
  h = await startHarness({ conversations: 10, config: { apiKeys: [{ key: 'health-test-key-0123456789', sources: ['cq'] }] } });
});
afterAll(() => h.close());
afterEach(() => {
  for (const { provider } of SIMULATORS) h.sandbox[provider].clearFaults();
  h.resetUpstream();
});

const get = (path: string) => h.parley.yoga.fetch(`http://parley${path}`);
const totalUpstream = () => Object.values(h.upstream()).flat().length;

/** A Yoga app with only the probes, so a test controls the cache and the clock. */
function probesOnly(options: Parameters<typeof useHealth>[1]) {
  return createYoga({ schema, plugins: [useHealth(h.parley.gateway, options)], logging: false });
}

describe('/health', () => {
  it('answers 200 without a key and without calling any source', async () => {
    const response = await get('/health');
    expect(response.status).toBe(200);
    expect(totalUpstream()).toBe(0);
  });
});

describe('/ready', () => {
  it('answers 200 without a key when every source answers, after one list call per source', async () => {
    const response = await get('/ready');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      sources: SIMULATORS.map(({ sourceId }) => ({ source: sourceId, reachable: true })),
      unreachable: [],
    });
    const calls = h.upstream();
    expect(Object.values(calls).map((made) => made.length)).toEqual(SIMULATORS.map(() => 1));
    expect(calls.carrotquest[0]).toMatch(/\/conversations\?/);
  });

  it('answers 503 naming the source that fails, with its error code and nothing of the provider', async () => {
    h.sandbox.reamaze.addFault({ kind: 'error', status: 503, rate: 1 });
    const response = await probesOnly({ cacheMs: 0 }).fetch('http://parley/ready');
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body).toEqual({
      status: 'unavailable',
      sources: SIMULATORS.map(({ sourceId }) => (sourceId === 'rz' ? { source: sourceId, reachable: false, code: 'SOURCE_UNAVAILABLE' } : { source: sourceId, reachable: true })),
      unreachable: ['rz'],
    });
    expect(JSON.stringify(body)).not.toContain('127.0.0.1');
  });

  it('names a source whose credentials are refused as SOURCE_AUTH_FAILED', async () => {
    h.sandbox.carrotquest.addFault({ kind: 'error', status: 401, rate: 1 });
    const body = await (await probesOnly({ cacheMs: 0 }).fetch('http://parley/ready')).json();
    expect(body.unreachable).toEqual(['cq']);
    expect(body.sources[0]).toEqual({ source: 'cq', reachable: false, code: 'SOURCE_AUTH_FAILED' });
  });

  it('turns ready again once the source answers', async () => {
    const yoga = probesOnly({ cacheMs: 0 });
    h.sandbox.chatwoot.addFault({ kind: 'reset', rate: 1 });
    expect((await yoga.fetch('http://parley/ready')).status).toBe(503);
    h.sandbox.chatwoot.clearFaults();
    expect((await yoga.fetch('http://parley/ready')).status).toBe(200);
  });

  it('answers only a GET or HEAD of exactly /ready: other methods and paths that merely end in it are not probes', async () => {
    const yoga = probesOnly({ cacheMs: 0 });
    const head = await yoga.fetch('http://parley/ready', { method: 'HEAD' });
    expect(head.status).toBe(200);
    h.resetUpstream();
    expect((await yoga.fetch('http://parley/ready', { method: 'POST', body: '{}' })).status).toBe(404);
    const query = await yoga.fetch(`http://parley/graphql?query=${encodeURIComponent('{ __typename }')}&probe=/ready`);
    expect(await query.json()).toEqual({ data: { __typename: 'Query' } });
    expect((await yoga.fetch('http://parley/v1/ready')).status).toBe(404);
    expect(totalUpstream()).toBe(0);
  });

  it('reuses one answer for cacheMs, so repeated probes cost no upstream call', async () => {
    let clock = 1_000_000;
    const check = createReadinessCheck(h.parley.gateway, { cacheMs: 5000, now: () => clock });
    await check();
    expect(totalUpstream()).toBe(SIMULATORS.length);
    clock += 4999;
    await Promise.all([check(), check(), check()]);
    expect(totalUpstream()).toBe(SIMULATORS.length);
    clock += 1;
    await check();
    expect(totalUpstream()).toBe(2 * SIMULATORS.length);
  });

  it('shares one round of checks between concurrent probes', async () => {
    const check = createReadinessCheck(h.parley.gateway, { cacheMs: 0 });
    const answers = await Promise.all([check(), check(), check()]);
    expect(answers.every((a) => a.status === 'ready')).toBe(true);
    expect(totalUpstream()).toBe(SIMULATORS.length);
  });
});

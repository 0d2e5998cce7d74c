import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { startMetricsServer, type MetricsServer } from '../../src/front/metrics-server.js';
import { startHarness, type Harness } from '../gateway/harness.js';
import { API_KEYS, listen, probe, type Listening } from './helpers.js';

/**
 * `/metrics` is not on the main port: it shows other clients' operation names and error
 * codes, and a scrape costs CPU. It is served on a port of its own, loopback by default,
 * behind a bearer token when one is configured.
 */

const TOKEN = 'metrics-test-token-0123456789';
let h: Harness;
let front: Listening;
let open: MetricsServer;
let guarded: MetricsServer;
beforeAll(async () => {
  h = await startHarness({ conversations: 4, config: { apiKeys: API_KEYS } });
  front = await listen(h.parley);
  const registry = h.parley.gateway.metrics!.registry;
  open = await startMetricsServer({ registry, port: 0, host: '127.0.0.1' });
  guarded = await startMetricsServer({ registry, port: 0, host: '127.0.0.1', token: TOKEN });
});
afterAll(async () => {
  await Promise.all([front?.close(), open?.close(), guarded?.close()]);
  await h?.close();
});

const scrape = (server: MetricsServer, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${server.port}/metrics`, { headers });

describe('/metrics', () => {
  it('is not served on the main port, with or without a key', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: `Bearer ${API_KEYS[0]!.key}` }]) {
      const response = await fetch(`${front.origin}/metrics`, { headers });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('parley_graphql');
    }
  });

  it('is served on its own port, counting what the main port did', async () => {
    expect((await probe(front.origin)).status).toBe(200);
    const response = await scrape(open);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toMatch(/parley_graphql_request_duration_seconds_count\{operation="Probe"\} [1-9]/);
  });

  it('answers only GET /metrics on that port', async () => {
    expect((await fetch(`http://127.0.0.1:${open.port}/graphql`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${open.port}/metrics`, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('requires the bearer token when one is configured', async () => {
    const none = await scrape(guarded);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await none.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await scrape(guarded, { authorization: 'Bearer not-the-metrics-token-at-all' })).status).toBe(401);
    expect((await scrape(guarded, { authorization: TOKEN })).status).toBe(401);
    const right = await scrape(guarded, { authorization: `Bearer ${TOKEN}` });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('# TYPE parley_graphql_request_duration_seconds histogram');
  });

  it('renders once for fifty scrapes that arrive together, and again once a second has passed', async () => {
    const registry = h.parley.gateway.metrics!.registry;
    const renderings: number[] = [];
    let clock = 0;
    const counting = { contentType: registry.contentType, metrics: () => (renderings.push(clock), registry.metrics()) } as unknown as typeof registry;
    const server = await startMetricsServer({ registry: counting, port: 0, host: '127.0.0.1', now: () => clock });
    try {
      const first = await Promise.all(Array.from({ length: 50 }, () => scrape(server).then(async (r) => [r.status, await r.text()] as const)));
      expect(first.map(([status]) => status)).toEqual(Array(50).fill(200));
      expect(new Set(first.map(([, body]) => body)).size).toBe(1);
      clock = 999;
      expect((await scrape(server)).status).toBe(200);
      expect(renderings).toEqual([0]);
      // A second later the counts are read afresh: what the main port did since shows.
      expect((await probe(front.origin)).status).toBe(200);
      clock = 1000;
      const later = await (await scrape(server)).text();
      expect(renderings).toEqual([0, 1000]);
      expect(later).not.toBe(first[0]![1]);
    } finally {
      await server.close();
    }
  });
});

describe('metrics config', () => {
  const base = { cursorSecret: 'test-cursor-secret-0123456789', sources: [{ id: 'cq', provider: 'carrotquest', baseUrl: 'http://127.0.0.1:1', appId: '1', token: 'cq-token-0123456789' }] };
  const metricsOf = (metrics?: unknown) => parseConfig({ ...base, ...(metrics === undefined ? {} : { metrics }) }).metrics;

  it('defaults to its own loopback port 9464', () => {
    expect(metricsOf()).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(metricsOf(true)).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(metricsOf({ port: 9100, token: TOKEN })).toEqual({ port: 9100, host: '127.0.0.1', token: TOKEN });
  });

  it('is off with `false` or `enabled: false`', () => {
    expect(metricsOf(false)).toBe(false);
    expect(metricsOf({ enabled: false })).toBe(false);
  });

  it('refuses a host other than loopback without a token', () => {
    expect(() => metricsOf({ host: '0.0.0.0' })).toThrow(/metrics\.token: required when `metrics\.host` is not a loopback address/);
    expect(metricsOf({ host: '0.0.0.0', token: TOKEN })).toEqual({ port: 9464, host: '0.0.0.0', token: TOKEN });
  });
});

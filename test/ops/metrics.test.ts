import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createParley } from '../../src/gateway/app.js';
import { parseConfig } from '../../src/config/schema.js';
import { startMetricsServer } from '../../src/front/metrics-server.js';
import { ALL_SOURCE_IDS, INBOX_QUERY, simulatorsOf, startHarness, type Harness } from '../gateway/harness.js';
import { API_KEYS, changes, idsBySource, NODES_QUERY, post, scrape } from './helpers.js';
import { factsOf } from '../gateway/provider-facts.js';

/**
 * `/metrics` as a Prometheus scraper and an operator read it: the series names and
 * labels dashboards rely on, with counts that match what a request really did.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ conversations: 10, config: { apiKeys: API_KEYS } });
});
afterAll(() => h.close());
afterEach(() => {
  for (const sim of simulatorsOf(h.sandbox)) sim.clearFaults();
});

const inbox = (first = 10) => post(h.parley, { query: INBOX_QUERY, variables: { first } });
const upstreamCount = (source: string, endpoint: string, status: string) =>
  `parley_upstream_request_duration_seconds_count{source="${source}",endpoint="${endpoint}",status="${status}"}`;
/** One clean list call of every source but those given. */
const listCalls = (except: string[] = []) =>
  Object.fromEntries(ALL_SOURCE_IDS.filter((source) => !except.includes(source)).map((source) => [upstreamCount(source, factsOf(source).list, '200'), 1]));

describe('/metrics', () => {
  it('answers in the Prometheus text format on the metrics port, without an API key', async () => {
    const server = await startMetricsServer({ registry: h.parley.gateway.metrics!.registry, port: 0, host: '127.0.0.1' });
    const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    const text = await response.text();
    await server.close();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    for (const name of [
      'parley_graphql_request_duration_seconds histogram',
      'parley_graphql_errors_total counter',
      'parley_upstream_request_duration_seconds histogram',
      'parley_upstream_retries_total counter',
      'parley_upstream_circuit_state gauge',
      'parley_upstream_circuit_opened_total counter',
      'parley_list_cache_lookups_total counter',
      'parley_dataloader_batch_size histogram',
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });

  it('counts the reference inbox query: one conversations.list call per source, and the request under its operation name', async () => {
    const before = await scrape(h.parley);
    const page = await inbox();
    expect(page.errors).toBeUndefined();
    const after = await scrape(h.parley);

    expect(changes(before, after, 'parley_upstream_request_duration_seconds_count')).toEqual(listCalls());
    // The histogram's buckets agree with its count, and its sum holds the time spent.
    const bucket = (le: string) => `parley_upstream_request_duration_seconds_bucket{le="${le}",source="cq",endpoint="conversations.list",status="200"}`;
    expect(after.get(bucket('+Inf'))! - (before.get(bucket('+Inf')) ?? 0)).toBe(1);
    expect(after.get('parley_upstream_request_duration_seconds_sum{source="cq",endpoint="conversations.list",status="200"}')).toBeGreaterThan(0);

    expect(changes(before, after, 'parley_graphql_request_duration_seconds_count')).toEqual({
      'parley_graphql_request_duration_seconds_count{operation="Inbox"}': 1,
    });
    expect(changes(before, after, 'parley_graphql_errors_total')).toEqual({});
    expect(changes(before, after, 'parley_upstream_retries_total')).toEqual({});
  });

  it('counts one retry when Chatwoot answers 503 once, with the failed and the retried attempt under their statuses', async () => {
    h.sandbox.chatwoot.addFault({ kind: 'error', status: 503, count: 1 });
    const before = await scrape(h.parley);
    const page = await inbox();
    expect(page.errors).toBeUndefined();
    const after = await scrape(h.parley);
    expect(changes(before, after, 'parley_upstream_retries_total')).toEqual({
      'parley_upstream_retries_total{source="cw",endpoint="conversations.list"}': 1,
    });
    expect(changes(before, after, 'parley_upstream_request_duration_seconds_count')).toEqual({
      ...listCalls(['cw']),
      [upstreamCount('cw', 'conversations.list', '503')]: 1,
      [upstreamCount('cw', 'conversations.list', '200')]: 1,
    });
  });

  it('counts errors by operation and code, including requests refused before their operation was read', async () => {
    const before = await scrape(h.parley);
    await post(h.parley, { query: INBOX_QUERY, variables: { first: 500 } });
    await post(h.parley, { query: INBOX_QUERY }, { authorization: 'Bearer not-a-key-of-this-gateway' });
    await post(h.parley, { query: '{ conversations(first: 1) { edges { cursor } }' });
    const after = await scrape(h.parley);
    expect(changes(before, after, 'parley_graphql_errors_total')).toEqual({
      'parley_graphql_errors_total{operation="Inbox",code="BAD_USER_INPUT"}': 1,
      'parley_graphql_errors_total{operation="unknown",code="UNAUTHENTICATED"}': 1,
      'parley_graphql_errors_total{operation="unknown",code="GRAPHQL_PARSE_FAILED"}': 1,
    });
    expect(changes(before, after, 'parley_graphql_request_duration_seconds_count')).toEqual({
      'parley_graphql_request_duration_seconds_count{operation="Inbox"}': 1,
      'parley_graphql_request_duration_seconds_count{operation="unknown"}': 2,
    });
  });

  it('counts list cache hits and DataLoader batch sizes per source for nodes read by id', async () => {
    const page = await inbox(20);
    const users = idsBySource(page, 'user');
    const channels = idsBySource(page, 'channel');
    expect(users.cq!.length).toBeGreaterThanOrEqual(2);
    // Two Carrot quest users share one batch; one user of each other source, and one channel of every source.
    // Re:amaze reads a customer back only by email or SSO id, which a page's customers may lack: its users are left out.
    const userSources = ALL_SOURCE_IDS.filter((s) => s !== 'rz');
    const ids = [...users.cq!.slice(0, 2), ...userSources.filter((s) => s !== 'cq').map((s) => users[s]![0]!), ...ALL_SOURCE_IDS.map((s) => channels[s]![0]!)];

    const before = await scrape(h.parley);
    const nodes = await post(h.parley, { query: NODES_QUERY, variables: { ids } });
    expect(nodes.data.nodes.map((n: { id: string }) => n.id)).toEqual(ids);
    const after = await scrape(h.parley);

    expect(changes(before, after, 'parley_list_cache_lookups_total')).toEqual(
      Object.fromEntries(ALL_SOURCE_IDS.map((s) => [`parley_list_cache_lookups_total{source="${s}",cache="${factsOf(s).channels}",result="hit"}`, 1])),
    );
    const batches = changes(before, after, 'parley_dataloader_batch_size_');
    const batch = (loader: string, source: string, size: number) => ({
      [`parley_dataloader_batch_size_sum{loader="${loader}",source="${source}"}`]: size,
      [`parley_dataloader_batch_size_count{loader="${loader}",source="${source}"}`]: 1,
    });
    expect(Object.fromEntries(Object.entries(batches).filter(([series]) => !series.includes('_bucket')))).toEqual(
      Object.assign({}, ...userSources.map((s) => batch('User', s, s === 'cq' ? 2 : 1)), ...ALL_SOURCE_IDS.map((s) => batch('Channel', s, 1))),
    );
    // Channels came from the caches: the only calls were the users' (Carrot quest reads one user per call).
    expect(changes(before, after, 'parley_upstream_request_duration_seconds_count')).toEqual(
      Object.fromEntries(userSources.map((s) => [upstreamCount(s, factsOf(s).user, '200'), s === 'cq' ? 2 : 1])),
    );
  });

  it('shows each circuit breaker: closed (0) until a source fails failureThreshold times, then open (2) and counted once', async () => {
    const fragile = createParley(
      parseConfig({
        cursorSecret: 'test-cursor-secret-0123456789',
        sources: h.sandbox.sources(),
        resilience: { retry: { maxRetries: 1, initialDelayMs: 0, maxDelayMs: 0 }, breaker: { failureThreshold: 2 } },
      }),
    );
    try {
      const state = async () => {
        const samples = await scrape(fragile);
        return ALL_SOURCE_IDS.map((s) => samples.get(`parley_upstream_circuit_state{source="${s}"}`));
      };
      expect(await state()).toEqual(ALL_SOURCE_IDS.map(() => 0));
      h.sandbox.reamaze.addFault({ kind: 'error', status: 503, rate: 1, pathIncludes: '/conversations' });
      const failing = await post(fragile, { query: INBOX_QUERY, variables: { first: 5 } });
      expect(failing.errors?.map((e) => [e.extensions?.source, e.extensions?.code])).toEqual([['rz', 'SOURCE_UNAVAILABLE']]);
      expect(await state()).toEqual(ALL_SOURCE_IDS.map((s) => (s === 'rz' ? 2 : 0)));

      // While open, the source is not called at all.
      const before = await scrape(fragile);
      await post(fragile, { query: INBOX_QUERY, variables: { first: 5 } });
      const after = await scrape(fragile);
      expect(Object.keys(changes(before, after, 'parley_upstream_request_duration_seconds_count')).filter((s) => s.includes('source="rz"'))).toEqual([]);
      expect(after.get('parley_upstream_circuit_opened_total{source="rz"}')).toBe(1);
      expect(after.get('parley_upstream_circuit_opened_total{source="cq"}')).toBeUndefined();
    } finally {
      await fragile.close();
    }
  });

  it('is absent when metrics are turned off', async () => {
    const quiet = createParley(parseConfig({ cursorSecret: 'test-cursor-secret-0123456789', sources: h.sandbox.sources(), metrics: false }));
    try {
      expect(quiet.gateway.metrics).toBeNull();
      expect(quiet.gateway.config.metrics).toBe(false);
    } finally {
      await quiet.close();
    }
  });
});

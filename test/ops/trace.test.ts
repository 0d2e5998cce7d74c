import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createParley } from '../../src/gateway/app.js';
import { parseConfig } from '../../src/config/schema.js';
import { ALL_SOURCE_IDS, INBOX_QUERY, simulatorsOf, startHarness, type Harness } from '../gateway/harness.js';
import { API_KEY, API_KEYS, CQ_ONLY_KEY, credentialsOf, idsBySource, NODES_QUERY, post } from './helpers.js';
import { factsOf } from '../gateway/provider-facts.js';

/**
 * `extensions.upstream`: what a developer reads to see why a page was slow. Asked for per
 * request; lists, per source, each upstream attempt, the retries and the list cache reads.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ conversations: 10, config: { apiKeys: API_KEYS } });
});
afterAll(() => h.close());
afterEach(() => {
  for (const sim of simulatorsOf(h.sandbox)) sim.clearFaults();
});

const traced = (variables: Record<string, unknown> = { first: 10 }, headers: Record<string, string> = {}) =>
  post(h.parley, { query: INBOX_QUERY, variables, extensions: { trace: true } }, headers);

const listCall = (attempt = 1, status = 200, endpoint = 'conversations.list') => ({ endpoint, status, attempt, at: expect.any(Number), ms: expect.any(Number) });
const quiet = { retries: 0, cacheHits: 0, cacheMisses: 0 };
/** A source's entry for one clean inbox page: its one list call, and the cached lists it resolves ids from. */
const inboxEntry = (source: string) => ({ source, calls: [listCall(1, 200, factsOf(source).list)], ...quiet, cacheHits: factsOf(source).inboxCacheHits });

describe('the upstream trace', () => {
  it('shows the inbox page as one conversations.list call per source, under the request id of the response', async () => {
    const page = await traced();
    expect(page.errors).toBeUndefined();
    expect(page.extensions).toEqual({
      upstream: {
        requestId: page.headers.get('x-request-id'),
        sources: ALL_SOURCE_IDS.map(inboxEntry),
      },
    });
    // Times are the request's own: each call started after the request and took some time.
    for (const { calls } of page.extensions!.upstream.sources) {
      expect(calls[0].at).toBeGreaterThanOrEqual(0);
      expect(calls[0].ms).toBeGreaterThan(0);
    }
  });

  it('is given for an `x-parley-trace: 1` header too, and not at all when not asked for', async () => {
    const byHeader = await post(h.parley, { query: INBOX_QUERY, variables: { first: 3 } }, { 'x-parley-trace': '1' });
    expect(byHeader.extensions?.upstream.sources.map((s: { source: string }) => s.source)).toEqual(ALL_SOURCE_IDS);
    const plain = await post(h.parley, { query: INBOX_QUERY, variables: { first: 3 } });
    expect(plain.extensions).toBeUndefined();
    const falsy = await post(h.parley, { query: INBOX_QUERY, variables: { first: 3 }, extensions: { trace: 'yes' } }, { 'x-parley-trace': '0' });
    expect(falsy.extensions).toBeUndefined();
  });

  it('shows a retried call as both attempts, the failed one with its code, and counts the retry', async () => {
    h.sandbox.reamaze.addFault({ kind: 'error', status: 503, count: 1, pathIncludes: '/conversations' });
    const page = await traced();
    expect(page.errors).toBeUndefined();
    const rz = page.extensions!.upstream.sources.find((s: { source: string }) => s.source === 'rz');
    expect(rz).toEqual({
      source: 'rz',
      calls: [{ ...listCall(1, 503), error: 'SOURCE_UNAVAILABLE', failure: 'server' }, listCall(2, 200)],
      retries: 1,
      cacheHits: 0,
      cacheMisses: 0,
    });
    expect(rz.calls[1].at).toBeGreaterThanOrEqual(rz.calls[0].at + rz.calls[0].ms);
  });

  it('shows channels read by id as list cache hits with no call, and a cold cache as a miss and its list call', async () => {
    const channels = idsBySource(await traced(), 'channel');
    const ids = ALL_SOURCE_IDS.map((source) => channels[source]![0]!);
    const warm = await post(h.parley, { query: NODES_QUERY, variables: { ids }, extensions: { trace: true } });
    expect(warm.extensions!.upstream.sources).toEqual(ALL_SOURCE_IDS.map((source) => ({ source, calls: [], retries: 0, cacheHits: 1, cacheMisses: 0 })));

    const cold = createParley(parseConfig({ cursorSecret: 'test-cursor-secret-0123456789', sources: h.sandbox.sources(), apiKeys: API_KEYS }));
    try {
      const first = await post(cold, { query: NODES_QUERY, variables: { ids: [channels.cq![0]!] }, extensions: { trace: true } });
      expect(first.extensions!.upstream.sources).toEqual([
        { source: 'cq', calls: [{ endpoint: 'channels.list', status: 200, attempt: 1, at: expect.any(Number), ms: expect.any(Number) }], retries: 0, cacheHits: 0, cacheMisses: 1 },
      ]);
    } finally {
      await cold.close();
    }
  });

  it('lists only the sources the caller\'s key may read', async () => {
    const page = await traced({ first: 5 }, { authorization: `Bearer ${CQ_ONLY_KEY}` });
    expect(page.extensions!.upstream.sources).toEqual([{ source: 'cq', calls: [listCall()], ...quiet }]);
  });

  it('names endpoints by label: no URL, path, query string or credential', async () => {
    h.sandbox.chatwoot.addFault({ kind: 'error', status: 500, count: 1 });
    const text = JSON.stringify((await traced({ first: 20, filter: { tags: { anyOf: ['billing'] } } })).extensions);
    for (const marker of ['http', '127.0.0.1', '/', '?', '=']) expect(text).not.toContain(marker);
    for (const credential of credentialsOf(h.sandbox, API_KEY)) expect(text).not.toContain(credential);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { startHarness, type Harness } from '../gateway/harness.js';
import { listen, until, type Listening } from './helpers.js';

/**
 * Cross-origin access, as a browser judges it: a page on another origin may read an answer
 * only when the response names that origin in `access-control-allow-origin`. By default no
 * origin is named, so a foreign page cannot read a key-less gateway's inbox.
 */

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';
const QUERY = JSON.stringify({ query: '{ conversations(first: 2) { edges { cursor } } }' });

async function serve(config: Record<string, unknown>) {
  // No API keys: the case where a foreign page reading the answer would read everything.
  const h = await startHarness({ conversations: 2, config });
  const front = await listen(h.parley);
  return { h, front, close: async () => (await front.close(), await h.close()) };
}

/** What a browser sends for `fetch(parley, { method: 'POST', headers: { 'content-type': 'application/json' } })` from `origin`. */
const crossOrigin = (front: Listening, origin: string) =>
  fetch(`${front.origin}/graphql`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: QUERY });
const preflight = (front: Listening, origin: string) =>
  fetch(`${front.origin}/graphql`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
  });

describe('CORS by default', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => (s = await serve({})));
  afterAll(() => s.close());

  it('names no origin, so a foreign page cannot read the answer', async () => {
    const response = await crossOrigin(s.front, EVIL);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('allows nothing in a preflight', async () => {
    const response = await preflight(s.front, EVIL);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });
});

describe('CORS with an allow-list', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => (s = await serve({ cors: { origins: [APP], credentials: true, maxAgeSeconds: 120 }, admission: { concurrent: 1, adaptive: false, queue: 0 } })));
  afterAll(() => s.close());

  it('names a listed origin, with credentials when configured', async () => {
    const response = await crossOrigin(s.front, APP);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('names no origin that is not listed', async () => {
    for (const origin of [EVIL, 'https://app.example.com.evil.example', 'http://app.example.com']) {
      expect((await crossOrigin(s.front, origin)).headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('answers a listed origin\'s preflight with the methods, headers and max age, while every GraphQL slot is taken', async () => {
    s.h.sandbox.chatwoot.setLatency({ fixedMs: 400 });
    const busy = crossOrigin(s.front, APP);
    expect(await until(() => s.h.parley.admission.stats().running === 1)).toBe(true);
    const response = await preflight(s.front, APP);
    s.h.sandbox.chatwoot.setLatency({ fixedMs: 0 });
    expect((await busy).status).toBe(200);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/content-type/);
    expect(response.headers.get('access-control-max-age')).toBe('120');
    expect((await preflight(s.front, EVIL)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets a listed origin read the refusals given before GraphQL: 404 for another path, 503 when every slot is taken', async () => {
    const headers = { origin: APP, 'content-type': 'application/json' };
    const elsewhere = await fetch(`${s.front.origin}/graphql/`, { method: 'POST', headers, body: QUERY });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBe(APP);
    s.h.sandbox.chatwoot.setLatency({ fixedMs: 400 });
    const busy = crossOrigin(s.front, APP);
    expect(await until(() => s.h.parley.admission.stats().running === 1)).toBe(true);
    const [full, foreign] = [await crossOrigin(s.front, APP), await crossOrigin(s.front, EVIL)];
    s.h.sandbox.chatwoot.setLatency({ fixedMs: 0 });
    expect((await busy).status).toBe(200);
    expect(full.status).toBe(503);
    expect(full.headers.get('access-control-allow-origin')).toBe(APP);
    expect(full.headers.get('access-control-expose-headers')).toMatch(/retry-after/);
    expect(foreign.status).toBe(503);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS config', () => {
  const base = { cursorSecret: 'test-cursor-secret-0123456789', sources: [{ id: 'cq', provider: 'carrotquest', baseUrl: 'http://127.0.0.1:1', appId: '1', token: 'cq-token-0123456789' }] };

  it('refuses "*" together with credentials', () => {
    expect(() => parseConfig({ ...base, cors: { origins: ['*'], credentials: true } })).toThrow(/cors\.origins: "\*" cannot be combined with `credentials: true`/);
    expect(parseConfig({ ...base, cors: { origins: ['*'] } }).cors).toEqual({ origins: ['*'], credentials: false, maxAgeSeconds: 600 });
  });

  it('refuses an origin with a path, or no scheme', () => {
    expect(() => parseConfig({ ...base, cors: { origins: ['https://app.example.com/'] } })).toThrow(/cors\.origins\.?\[0\]/);
    expect(() => parseConfig({ ...base, cors: { origins: ['app.example.com'] } })).toThrow(/scheme:\/\/host/);
  });
});

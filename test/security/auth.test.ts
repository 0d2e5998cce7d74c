import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyAuth } from '../../src/auth/api-keys.js';
import { ConfigError, parseConfig } from '../../src/config/schema.js';
import { SIMULATORS } from '../../src/sandbox/registry.js';
import { codes, KEYS, startSecured, type Secured } from './helpers.js';

let s: Secured;
beforeAll(async () => {
  s = await startSecured({ conversations: 4 });
});
afterAll(() => s.close());

const SOURCES = '{ sources { id } }';

describe('API keys', () => {
  it.each([
    ['no Authorization header', {}],
    ['an unknown key', { authorization: 'Bearer not-a-key-of-this-server' }],
    ['a known key under another scheme', { authorization: `Basic ${KEYS.all}` }],
    ['a known key without its scheme', { authorization: KEYS.all }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['a known key with a character more', { authorization: `Bearer ${KEYS.all}x` }],
  ])('answers %s with HTTP 401 and UNAUTHENTICATED', async (_name, headers) => {
    for (const accept of ['application/graphql-response+json', 'application/json']) {
      const response = await s.post(JSON.stringify({ query: SOURCES }), { ...headers, accept });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="parley"');
      expect(response.body.data).toBeUndefined();
      expect(codes(response)).toEqual(['UNAUTHENTICATED']);
      expect(JSON.stringify(response.body)).not.toContain(KEYS.all);
    }
  });

  it('refuses before reading the query: a broken document without a key is still a 401', async () => {
    const response = await s.post('{ "query": "{ this is not graphql', {});
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('accepts the scheme in any case, and GET requests with the key', async () => {
    const lower = await s.post(JSON.stringify({ query: SOURCES }), { authorization: `bearer ${KEYS.cw}` });
    expect(lower.body).toEqual({ data: { sources: [{ id: 'cw' }] } });
    const get = await s.parley.yoga.fetch(`http://parley/graphql?query=${encodeURIComponent(SOURCES)}`, {
      headers: { authorization: `Bearer ${KEYS.rz}`, accept: 'application/json' },
    });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { sources: [{ id: 'rz' }] } });
  });

  it('lets every caller read every source when no keys are configured', async () => {
    const open = await startSecured({ conversations: 2, config: { apiKeys: undefined } });
    try {
      const response = await open.query(SOURCES, {}, null);
      expect(response.body).toEqual({ data: { sources: SIMULATORS.map(({ sourceId }) => ({ id: sourceId })) } });
    } finally {
      await open.close();
    }
  });

  it('does not carry one request\'s key over to the next request', async () => {
    expect((await s.query(SOURCES, {}, 'cq')).status).toBe(200);
    expect((await s.query(SOURCES, {}, null)).status).toBe(401);
  });

  it('maps each key to exactly its own sources', () => {
    const auth = createApiKeyAuth([{ key: KEYS.cq, sources: ['cq'] }, { key: KEYS.all, sources: ['cq', 'cw'] }], ['cq', 'cw', 'rz']);
    const as = (key: string) => [...auth.sourcesFor(new Request('http://parley/graphql', { headers: { authorization: `Bearer ${key}` } }))];
    expect(auth.required).toBe(true);
    expect(as(KEYS.cq)).toEqual(['cq']);
    expect(as(KEYS.all)).toEqual(['cq', 'cw']);
    expect(() => as(KEYS.rz)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }));
  });
});

describe('configuration of keys and the listening address', () => {
  const base = { cursorSecret: 'x'.repeat(16), sources: [{ id: 'cw', provider: 'chatwoot', baseUrl: 'http://127.0.0.1:1', accountId: 1, token: 'token-0123456789' }] };
  const error = (input: Record<string, unknown>) => {
    try {
      parseConfig({ ...base, ...input });
    } catch (thrown) {
      expect(thrown).toBeInstanceOf(ConfigError);
      return (thrown as Error).message;
    }
    return null;
  };

  it('runs without keys on loopback only', () => {
    expect(error({})).toBeNull();
    expect(error({ host: '127.0.0.1' })).toBeNull();
    expect(error({ host: 'localhost' })).toBeNull();
    expect(error({ host: '::1' })).toBeNull();
    expect(error({ host: '0.0.0.0' })).toMatch(/apiKeys: required when `host` is not a loopback address \(got "0.0.0.0"\)/);
    expect(error({ host: '192.168.1.20' })).toMatch(/apiKeys: required/);
    expect(error({ host: '0.0.0.0', apiKeys: [{ key: 'k'.repeat(32), sources: ['cw'] }] })).toBeNull();
  });

  it('refuses short, duplicate, empty and unknown-source keys, without quoting them', () => {
    expect(error({ apiKeys: [] })).toMatch(/apiKeys: list at least one key/);
    expect(error({ apiKeys: [{ key: 'short', sources: ['cw'] }] })).toMatch(/apiKeys\[0\]\.key: an API key is at least 16 characters/);
    const twice = error({ apiKeys: [{ key: 'k'.repeat(32), sources: ['cw'] }, { key: 'k'.repeat(32), sources: ['cw'] }] });
    expect(twice).toMatch(/apiKeys\[1\]\.key: the same key is listed twice/);
    expect(twice).not.toContain('k'.repeat(32));
    expect(error({ apiKeys: [{ key: 'k'.repeat(32), sources: ['cq'] }] })).toMatch(/apiKeys\[0\]\.sources\[0\]: unknown source "cq"/);
  });

  it('has introspection off unless the config turns it on', () => {
    expect(parseConfig(base).introspection).toBe(false);
    expect(parseConfig({ ...base, introspection: true }).introspection).toBe(true);
  });
});

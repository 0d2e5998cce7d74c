import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../../src/http/upstream-client.js';
import { reamazeAdapter } from '../../../src/providers/reamaze/index.js';
import { startStub, type StubServer } from '../stub-server.js';

describe('reamazeAdapter.configSchema', () => {
  const valid = { baseUrl: 'https://brand.reamaze.io', email: 'me@example.com', token: 'tok' };

  it('accepts a brand origin, a login email and a token', () => {
    expect(reamazeAdapter.configSchema.parse(valid)).toEqual({ ...valid, pollSeconds: 15 });
  });

  it('rejects a key it does not know, so a typo never falls back silently', () => {
    expect(reamazeAdapter.configSchema.safeParse({ ...valid, extra: 1 }).success).toBe(false);
  });

  it.each([
    ['baseUrl', { ...valid, baseUrl: 'brand.reamaze.io' }],
    ['baseUrl', { ...valid, baseUrl: 'ftp://brand.reamaze.io' }],
    ['email', { ...valid, email: 'me' }],
    ['token', { ...valid, token: '' }],
    ['token', { baseUrl: valid.baseUrl, email: valid.email }],
  ])('names the bad field %s', (field, config) => {
    const result = reamazeAdapter.configSchema.safeParse(config);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([field]);
  });
});

describe('reamazeAdapter.createSource', () => {
  let stub: StubServer | undefined;
  let http: UpstreamClient | undefined;
  afterEach(async () => {
    await http?.close();
    await stub?.close();
  });

  it('connects a source that uses the list cache TTL the gateway passes', async () => {
    stub = await startStub(() => ({ body: { total_count: 1, channels: [{ name: 'Support', slug: 'support', channel: 1 }] } }));
    http = new UpstreamClient({ sourceId: 'rz', baseUrl: stub.baseUrl });
    const config = reamazeAdapter.configSchema.parse({ baseUrl: stub.baseUrl, email: 'me@example.com', token: 'tok' });
    const source = reamazeAdapter.createSource('rz', config, { http, now: () => 5, listCacheTtlMs: 0 });
    expect([source.sourceId, source.provider]).toEqual(['rz', 'reamaze']);
    await source.listChannels({});
    await source.listChannels({});
    expect(stub.requests).toHaveLength(2);
  });
});

import { describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../../src/http/upstream-client.js';
import { carrotquestAdapter } from '../../../src/providers/carrotquest/index.js';

const valid = { baseUrl: 'https://api.carrotquest.io', appId: '123', token: 'secret' };

describe('carrotquestAdapter.configSchema', () => {
  it('accepts a Carrot quest or Dashly source, with a numeric app id or $self_app', () => {
    expect(carrotquestAdapter.configSchema.parse(valid)).toEqual(valid);
    expect(carrotquestAdapter.configSchema.parse({ ...valid, baseUrl: 'https://api.dashly.app', appId: '$self_app', realtimeUrl: 'wss://realtime-services.dashly.app' })).toEqual({
      ...valid,
      baseUrl: 'https://api.dashly.app',
      appId: '$self_app',
      realtimeUrl: 'wss://realtime-services.dashly.app',
    });
  });

  it.each([
    ['a missing token', { baseUrl: valid.baseUrl, appId: '123' }, 'token'],
    ['an empty token', { ...valid, token: '' }, 'token'],
    ['an app id that is neither digits nor $self_app', { ...valid, appId: 'my-app' }, 'appId'],
    ['a numeric app id given as a number', { ...valid, appId: 123 }, 'appId'],
    ['a base URL that is not a URL', { ...valid, baseUrl: 'api.carrotquest.io' }, 'baseUrl'],
    ['a /v1 base URL (legacy pagination)', { ...valid, baseUrl: 'https://api.carrotquest.io/v1' }, 'baseUrl'],
    ['a realtime URL that is not a WebSocket URL', { ...valid, realtimeUrl: 'https://realtime-services.carrotquest.io' }, 'realtimeUrl'],
  ])('rejects %s, naming the field', (_name, config, field) => {
    const result = carrotquestAdapter.configSchema.safeParse(config);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([field]);
  });

  it('rejects a key it does not know, so a typo never falls back silently', () => {
    const result = carrotquestAdapter.configSchema.safeParse({ ...valid, apiToken: 'secret' });
    expect(result.error?.issues.map((issue) => [issue.code, issue.path])).toEqual([['unrecognized_keys', []]]);
  });
});

describe('carrotquestAdapter.createSource', () => {
  it('connects one source', async () => {
    const http = new UpstreamClient({ sourceId: 'cq', baseUrl: valid.baseUrl });
    const source = carrotquestAdapter.createSource('cq', valid, { http, now: () => 0 });
    expect([carrotquestAdapter.provider, source.sourceId, source.provider]).toEqual(['carrotquest', 'cq', 'carrotquest']);
    expect(source.planFilter({ closed: true }).native).toEqual({ query: { closed: true } });
    await http.close();
  });
});

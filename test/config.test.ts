import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';

const valid = {
  cursorSecret: 'a-cursor-secret-of-some-length',
  sources: [
    { id: 'cq', provider: 'carrotquest', baseUrl: 'https://api.carrotquest.io', appId: '123', token: '${CQ_TOKEN}' },
    { id: 'cw', provider: 'chatwoot', baseUrl: 'https://app.chatwoot.com', accountId: 1, token: 'cw-token' },
    { id: 'rz', provider: 'reamaze', baseUrl: 'https://brand.reamaze.io', email: 'me@example.com', token: 'rz-token' },
  ],
};

function messageOf(input: unknown, env: NodeJS.ProcessEnv = { CQ_TOKEN: 'cq-token' }): string {
  try {
    parseConfig(input, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('config', () => {
  it('accepts the documented shape, fills defaults and reads ${ENV} secrets', () => {
    const config = parseConfig(valid, { CQ_TOKEN: 'cq-token' });
    expect(config.port).toBe(4000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.sources.map((s) => [s.id, s.provider])).toEqual([
      ['cq', 'carrotquest'],
      ['cw', 'chatwoot'],
      ['rz', 'reamaze'],
    ]);
    expect((config.sources[0]!.settings as { token: string }).token).toBe('cq-token');
    expect(config.admission).toEqual({ concurrent: 64, adaptive: true, minConcurrent: 2, queue: 1024, maxWaitMs: 5000 });
    expect(config.heapGrowingPercent).toBe(100);
  });

  it('names an out-of-range admission floor or heap growth with its path', () => {
    expect(messageOf({ ...valid, admission: { minConcurrent: 0 } })).toContain('admission.minConcurrent');
    expect(messageOf({ ...valid, heapGrowingPercent: -5 })).toContain('heapGrowingPercent');
  });

  it('names a missing environment variable and the field that needs it', () => {
    expect(messageOf(valid, {})).toMatch(/sources\[0\]\.token: environment variable CQ_TOKEN is not set/);
  });

  it('names a missing provider field with its path', () => {
    const input = { ...valid, sources: [{ id: 'cq', provider: 'carrotquest', baseUrl: 'https://x.example', token: 't' }] };
    expect(messageOf(input)).toMatch(/sources\[0\]\.appId/);
  });

  it('names an unknown provider, a short secret, and duplicate source ids', () => {
    expect(messageOf({ ...valid, sources: [{ id: 'x', provider: 'zendesk' }] })).toMatch(/sources\[0\]\.provider/);
    expect(messageOf({ ...valid, cursorSecret: 'short' })).toMatch(/cursorSecret: the cursor secret must be at least 16 characters/);
    expect(messageOf({ ...valid, sources: [valid.sources[1], valid.sources[1]] })).toMatch(/sources\[1\]\.id: duplicate source id "cw"/);
  });

  it('rejects an API key naming a source that does not exist', () => {
    expect(messageOf({ ...valid, apiKeys: [{ key: 'k'.repeat(32), sources: ['nope'] }] })).toMatch(/apiKeys\[0\]\.sources\[0\]: unknown source "nope"/);
  });
});

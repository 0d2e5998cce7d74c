import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/schema.js';

const base = {
  cursorSecret: 'config-test-cursor-secret-0123',
  sources: [
    { id: 'cq', provider: 'carrotquest', baseUrl: 'http://127.0.0.1:9', appId: '1', token: 'config-test-token-cq' },
    { id: 'cw', provider: 'chatwoot', baseUrl: 'http://127.0.0.1:9', accountId: '1', token: 'config-test-token-cw' },
  ],
};

function problems(input: unknown, env: NodeJS.ProcessEnv = {}): readonly string[] {
  try {
    parseConfig(input, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('redis in the config', () => {
  it('is absent by default: everything stays in the process', () => {
    expect(parseConfig(base, {}).redis).toBeUndefined();
  });

  it('takes a URL, with the key prefix and command timeout defaulted', () => {
    expect(parseConfig({ ...base, redis: { url: 'redis://:pw@10.0.0.5:6379/2' } }, {}).redis).toEqual({
      url: 'redis://:pw@10.0.0.5:6379/2',
      keyPrefix: 'parley:',
      commandTimeoutMs: 250,
    });
  });

  it('reads PARLEY_REDIS_URL when the file has no `redis`', () => {
    expect(parseConfig(base, { PARLEY_REDIS_URL: 'redis://127.0.0.1:6380' }).redis?.url).toBe('redis://127.0.0.1:6380');
    expect(parseConfig({ ...base, redis: { url: 'redis://file:1' } }, { PARLEY_REDIS_URL: 'redis://env:2' }).redis?.url).toBe('redis://file:1');
  });

  it('names a URL that is not a Redis URL, and unknown keys', () => {
    expect(problems({ ...base, redis: { url: 'http://127.0.0.1:6379' } })).toEqual([expect.stringMatching(/^redis\.url: .*redis:\/\//)]);
    expect(problems({ ...base, redis: { url: 'redis://x:1', prefix: 'a:' } })).toEqual([expect.stringMatching(/^redis\.prefix: unknown field/)]);
  });
});

describe('sources[].quota', () => {
  it('is kept on the source, and `false` turns a documented default off', () => {
    const config = parseConfig({ ...base, sources: [{ ...base.sources[0], quota: { requests: 50, perSeconds: 1 } }, { ...base.sources[1], quota: false }] }, {});
    expect(config.sources.map((source) => source.quota)).toEqual([{ requests: 50, perSeconds: 1 }, false]);
  });

  it('refuses a quota without a positive whole rate', () => {
    expect(problems({ ...base, sources: [{ ...base.sources[0], quota: { requests: 0, perSeconds: 1 } }] })).toHaveLength(1);
  });
});

describe('the Redis password', () => {
  it('is redacted like every other configured secret', async () => {
    const { redactorFor } = await import('../../src/auth/secrets.js');
    const config = parseConfig({ ...base, redis: { url: 'redis://:s3cret-redis-pass%21@10.0.0.5:6379' } }, {});
    const redactor = redactorFor(config);
    expect(redactor.text('connect to redis://:s3cret-redis-pass%21@10.0.0.5:6379 failed')).not.toContain('s3cret-redis-pass');
    expect(redactor.text('password s3cret-redis-pass!')).not.toContain('s3cret-redis-pass');
  });
});

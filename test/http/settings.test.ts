import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/schema.js';

/** The resilience knobs in Parley's config: documented defaults, and a bad value named at boot. */

const base = {
  cursorSecret: 'settings-test-cursor-secret-0123',
  sources: [{ id: 'rz', provider: 'reamaze', baseUrl: 'http://127.0.0.1:9', email: 'me@example.com', token: 'tok-0123456789' }],
};

describe('resilience config', () => {
  it('fills every default when the block is absent', () => {
    const config = parseConfig(base);
    expect([config.deadlineMs, config.upstreamTimeoutMs]).toEqual([5000, 2500]);
    expect(config.resilience).toEqual({
      retry: { maxRetries: 2, initialDelayMs: 100, maxDelayMs: 1000, minAttemptMs: 100 },
      breaker: { failureThreshold: 5, halfOpenAfterMs: 10_000 },
      concurrency: { perSource: 16, queue: 1024 },
    });
  });

  it('keeps the defaults a partial block leaves out', () => {
    const config = parseConfig({ ...base, resilience: { breaker: { failureThreshold: 2 } } });
    expect(config.resilience.breaker).toEqual({ failureThreshold: 2, halfOpenAfterMs: 10_000 });
    expect(config.resilience.retry.maxRetries).toBe(2);
  });

  it.each([
    [{ resilience: { retry: { maxRetries: -1 } } }, 'resilience.retry.maxRetries'],
    [{ resilience: { concurrency: { perSource: 0 } } }, 'resilience.concurrency.perSource'],
    [{ deadlineMs: 10 }, 'deadlineMs'],
  ])('rejects %j naming the field', (patch, field) => {
    expect(() => parseConfig({ ...base, ...patch })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, ...patch })).toThrow(new RegExp(`^\\s+${field.replace(/\./g, '\\.')}:`, 'm'));
  });
});

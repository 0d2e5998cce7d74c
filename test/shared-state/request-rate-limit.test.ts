import { describe, expect, it } from 'vitest';
import { createApiKeyAuth } from '../../src/auth/api-keys.js';
import { createRedisRateLimiter } from '../../src/limits/rate-limit.js';
import { useRedis } from './use-redis.js';

/** One key's requests are counted together, whichever replica (here: auth instance) they reach. */

const { missing, client } = useRedis();


const KEY = 'replica-rate-limit-key-0123456789';
const keys = [{ key: KEY, sources: ['cq'], rateLimit: { requests: 3, perSeconds: 60 } }];

describe.skipIf(missing !== null)('per-key request rate limits across replicas', () => {
  it('lets a key make its limit in all, not per replica', async () => {
    const replicas = [1, 2, 3].map(() => createApiKeyAuth(keys, ['cq'], { rateLimiters: (limits) => createRedisRateLimiter(client(), 'rate-test:', limits) }));
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await replicas[i % 3]!.throttle(`Bearer ${KEY}`));
    expect(answers.slice(0, 3)).toEqual([null, null, null]);
    for (const wait of answers.slice(3)) {
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
    }
  });
});

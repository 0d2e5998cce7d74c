import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { redisMissing, startRedisServer, type RedisServer } from './redis-server.js';

/**
 * A private server and one client for the calling test file: started before its tests,
 * stopped after them. `missing` says why Redis tests cannot run here (null when they can).
 */
export function useRedis(): { missing: string | null; client: () => Redis } {
  const missing = redisMissing();
  let server: RedisServer | undefined;
  let redis: Redis | undefined;
  beforeAll(async () => {
    if (missing) return;
    server = await startRedisServer();
    redis = new Redis(server.url);
    await redis.ping();
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });
  return { missing, client: () => redis! };
}

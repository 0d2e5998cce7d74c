import type { Redis } from 'ioredis';
import { checkTtl } from './misuse.js';

/**
 * Named locks held for a lease: one poller per source, one writer per conversation. A
 * holder that stops renewing loses the lock when its lease runs out, so a crashed replica
 * never holds one forever. Each grant carries a fencing token, larger than every earlier
 * grant of the same name: a resource that remembers the largest token it saw can refuse a
 * holder whose lease ran out while it was paused.
 */
export interface LeaseLocks {
  /** The lock if nobody holds it now, else null. */
  acquire(name: string, holder: string, leaseMs: number): Promise<Lease | null>;
}

export interface Lease {
  readonly name: string;
  readonly holder: string;
  /** Grows with every grant of this name, across replicas and restarts of the holder. */
  readonly token: number;
  /** Extends the lease by `leaseMs` from now: false when it was lost (expired, taken by another). */
  renew(leaseMs: number): Promise<boolean>;
  /** Gives the lock up, if this lease still holds it. */
  release(): Promise<void>;
}

export function createMemoryLeaseLocks(now: () => number = Date.now): LeaseLocks {
  const held = new Map<string, { owner: string; expiresAt: number }>();
  const tokens = new Map<string, number>();
  const holds = (name: string, owner: string) => {
    const entry = held.get(name);
    return entry !== undefined && entry.owner === owner && entry.expiresAt > now();
  };
  return {
    async acquire(name, holder, leaseMs) {
      checkTtl(leaseMs);
      const entry = held.get(name);
      if (entry && entry.expiresAt > now()) return null;
      const token = (tokens.get(name) ?? 0) + 1;
      tokens.set(name, token);
      const owner = `${holder}:${token}`;
      held.set(name, { owner, expiresAt: now() + leaseMs });
      return {
        name,
        holder,
        token,
        async renew(ms) {
          checkTtl(ms);
          if (!holds(name, owner)) return false;
          held.set(name, { owner, expiresAt: now() + ms });
          return true;
        },
        async release() {
          if (holds(name, owner)) held.delete(name);
        },
      };
    },
  };
}

// The token and the lock are taken in one step, so no grant is ever seen without its token.
const ACQUIRE = `if redis.call('exists', KEYS[1]) == 1 then return 0 end
local token = redis.call('incr', KEYS[2])
redis.call('set', KEYS[1], ARGV[1] .. ':' .. token, 'PX', ARGV[2])
return token`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

export function createRedisLeaseLocks(redis: Redis, keyPrefix: string): LeaseLocks {
  return {
    async acquire(name, holder, leaseMs) {
      checkTtl(leaseMs);
      const lockKey = `${keyPrefix}lock:${name}`;
      const token = Number(await redis.eval(ACQUIRE, 2, lockKey, `${keyPrefix}lock-token:${name}`, holder, String(leaseMs)));
      if (token === 0) return null;
      const owner = `${holder}:${token}`;
      return {
        name,
        holder,
        token,
        async renew(ms) {
          checkTtl(ms);
          return Number(await redis.eval(RENEW, 1, lockKey, owner, String(ms))) === 1;
        },
        async release() {
          await redis.eval(RELEASE, 1, lockKey, owner);
        },
      };
    },
  };
}

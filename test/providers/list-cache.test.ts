import { describe, expect, it } from 'vitest';
import type { CallScope } from '../../src/http/upstream-client.js';
import { ListCache, STALE_FACTOR } from '../../src/providers/kit/list-cache.js';

describe('ListCache', () => {
  it('lets a live caller reload when the shared load died with another request', async () => {
    const scopes: CallScope[] = [];
    const cache = new ListCache<string>(1000, () => 0, (scope) => {
      scopes.push(scope);
      return new Promise((resolve, reject) => {
        if (scope.signal?.aborted) reject(new Error('aborted'));
        scope.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        if (scopes.length > 1) resolve('agents');
      });
    });
    const dying = new AbortController();
    const first = cache.get({ signal: dying.signal });
    const second = cache.get({});
    dying.abort();
    await expect(first).rejects.toThrow('aborted');
    await expect(second).resolves.toBe('agents');
    expect(scopes).toHaveLength(2);
  });

  it('peeks at what get would answer, and an expired peek starts the refresh too', async () => {
    let now = 0;
    let loads = 0;
    const cache = new ListCache(10, () => now, async () => `inboxes ${++loads}`);
    expect(cache.peek()).toBeUndefined();
    expect(loads).toBe(0);
    await cache.get({});
    expect(cache.peek()).toBe('inboxes 1');
    now = 10;
    expect(cache.peek()).toBe('inboxes 1');
    await new Promise((resolve) => setImmediate(resolve));
    expect([cache.peek(), loads]).toEqual(['inboxes 2', 2]);
    now = 10 + 10 * STALE_FACTOR;
    expect(cache.peek()).toBeUndefined();
  });

  it('shares one in-flight load, keeps the value for its TTL, and does not keep a failure', async () => {
    let now = 0;
    let loads = 0;
    let fail = true;
    const cache = new ListCache<number>(1000, () => now, async () => {
      loads += 1;
      if (fail) throw new Error('upstream down');
      return loads;
    });
    await expect(cache.get({})).rejects.toThrow('upstream down');
    fail = false;
    const [a, b] = await Promise.all([cache.get({}), cache.get({})]);
    expect([a, b, loads]).toEqual([2, 2, 2]);
    now = 999;
    expect(await cache.get({})).toBe(2);
    expect(loads).toBe(2);
  });

  it('past its TTL answers at once with the old list and refreshes it in the background, once, detached from the request', async () => {
    let now = 0;
    const scopes: CallScope[] = [];
    let release: () => void = () => undefined;
    const cache = new ListCache<number>(1000, () => now, (scope) => {
      scopes.push(scope);
      if (scopes.length === 1) return Promise.resolve(1);
      return new Promise((resolve) => (release = () => resolve(scopes.length)));
    });
    await cache.get({});
    now = 1500;
    const request = new AbortController();
    expect(await cache.get({ signal: request.signal })).toBe(1);
    expect(await cache.get({})).toBe(1);
    expect(scopes).toHaveLength(2);
    expect(scopes[1]!.signal).toBeUndefined();
    request.abort();
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get({})).toBe(2);
    expect(scopes).toHaveLength(2);
  });

  it('keeps the old list when a background refresh fails, and the next caller tries again', async () => {
    let now = 0;
    let loads = 0;
    const cache = new ListCache<string>(1000, () => now, async () => {
      loads += 1;
      if (loads === 2) throw new Error('upstream down');
      return `v${loads}`;
    });
    await cache.get({});
    now = 2000;
    expect(await cache.get({})).toBe('v1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get({})).toBe('v1');
    await new Promise((resolve) => setImmediate(resolve));
    expect([await cache.get({}), loads]).toEqual(['v3', 3]);
  });

  it('tells the request it hit when it holds a servable list or joins a load in flight, else that it missed', async () => {
    let now = 0;
    const lookups: Array<[string, boolean]> = [];
    const scope: CallScope = { onCacheLookup: ({ cache, hit }) => lookups.push([cache, hit]) };
    let release: () => void = () => undefined;
    const cache = new ListCache<number>(1000, () => now, () => new Promise((resolve) => (release = () => resolve(now))), { sourceId: 'cw', cache: 'agents.list' });
    const first = cache.get(scope);
    const joined = cache.get(scope);
    release();
    expect(await Promise.all([first, joined])).toEqual([0, 0]);
    now = 1500;
    expect(await cache.get(scope)).toBe(0);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    now = 1500 + 1000 * STALE_FACTOR;
    const late = cache.get(scope);
    release();
    expect(await late).toBe(now);
    expect(lookups).toEqual([
      ['agents.list', false],
      ['agents.list', true],
      ['agents.list', true],
      ['agents.list', false],
    ]);
  });

  it(`waits for a load once the list is ${STALE_FACTOR} TTLs old`, async () => {
    let now = 0;
    let loads = 0;
    const cache = new ListCache<number>(1000, () => now, async () => ++loads);
    await cache.get({});
    now = 1000 * STALE_FACTOR;
    expect(await cache.get({})).toBe(2);
  });
});

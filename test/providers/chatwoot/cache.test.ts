import { describe, expect, it } from 'vitest';
import type { CallScope } from '../../../src/http/upstream-client.js';
import { RecentMap, TtlCache } from '../../../src/providers/chatwoot/cache.js';

describe('TtlCache', () => {
  it('lets a live caller reload when the shared load died with another request', async () => {
    const scopes: CallScope[] = [];
    const cache = new TtlCache<string>(1000, () => 0, (scope) => {
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

  it('peeks only at a fresh value', async () => {
    let now = 0;
    const cache = new TtlCache(10, () => now, async () => 'inboxes');
    expect(cache.peek()).toBeUndefined();
    await cache.get({});
    expect(cache.peek()).toBe('inboxes');
    now = 10;
    expect(cache.peek()).toBeUndefined();
  });
});

describe('RecentMap', () => {
  it('forgets the least recently written entry beyond its capacity', () => {
    const map = new RecentMap<number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3);
    map.set('c', 4);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([3, undefined, 4]);
  });
});

import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from '../../src/ops/adaptive-limit.js';

function limitOver(readings: number[], options: { min: number; max: number }) {
  let index = 0;
  return new AdaptiveLimit({ ...options, utilization: () => readings[Math.min(index++, readings.length - 1)]! });
}

describe('the adaptive concurrency limit', () => {
  it('starts at its floor and grows one arrival at a time, up to its ceiling, while the loop is not saturated', () => {
    const limit = limitOver([0.3], { min: 2, max: 12 });
    expect(limit.current).toBe(2);
    const grown = () => Array.from({ length: 10 }, () => limit.tryGrow()).filter(Boolean).length;
    // Between two samples arrivals add at most 8 slots, or as many as the limit had, if more.
    expect(grown()).toBe(8);
    expect(limit.current).toBe(10);
    limit.sample(0);
    expect(grown()).toBe(2);
    expect(limit.current).toBe(12);
  });

  it('lets a burst on an idle gateway in only as far as the limit may grow before the next sample', () => {
    const limit = limitOver([0], { min: 2, max: 64 });
    const admitted = Array.from({ length: 100 }, () => limit.tryGrow()).filter(Boolean).length;
    expect([admitted, limit.current]).toEqual([8, 10]);
    limit.sample(0);
    expect(Array.from({ length: 100 }, () => limit.tryGrow()).filter(Boolean).length).toBe(10);
    expect(limit.current).toBe(20);
  });

  it('refuses to grow, and comes down by a tenth per saturated period to its floor and no lower', () => {
    const limit = limitOver([0.2, 0.2, 0.2, 0.2, 0.2, 1], { min: 2, max: 64 });
    for (let period = 0; period < 5; period++) {
      while (limit.tryGrow());
      limit.sample(0);
    }
    expect(limit.current).toBe(64);
    const seen = Array.from({ length: 30 }, () => limit.sample(10));
    expect(seen.slice(0, 3)).toEqual([57, 51, 45]);
    expect(seen.at(-1)).toBe(2);
    expect(limit.tryGrow()).toBe(false);
  });

  it('grows by a quarter per period only while requests are waiting and the loop has idle time', () => {
    const limit = limitOver([0.5], { min: 8, max: 20 });
    expect(limit.sample(0)).toBe(8);
    expect(limit.sample(3)).toBe(10);
    expect(limit.sample(3)).toBe(12);
    expect([limit.sample(1), limit.sample(1), limit.sample(1)]).toEqual([15, 18, 20]);
    expect(limit.sample(1)).toBe(20);
  });

  it('never lets its floor exceed its ceiling', () => {
    const limit = limitOver([0], { min: 8, max: 1 });
    expect(limit.current).toBe(1);
    expect(limit.tryGrow()).toBe(false);
  });
});

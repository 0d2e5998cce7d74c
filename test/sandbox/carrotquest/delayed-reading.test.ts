import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CarrotquestSimulator } from '../../../src/sandbox/carrotquest/index.js';
import { NOW, expectedIds, isDelayedAtNow, startSmall, walkV2 } from './helpers.js';

/**
 * The `delayed` reading knob: `set` plays a provider stricter than Parley assumes, where any
 * delay counts (run out or not), so `delayed=false` also leaves out open conversations whose
 * delay ran out.
 */

let sim: CarrotquestSimulator;
beforeAll(async () => {
  sim = await startSmall();
});
afterAll(() => sim.close());

const LIST = '/apps/$self_app/conversations';
const listAll = async (query: Record<string, string | number>) => (await walkV2(sim, LIST, { paginate_count: 50, ...query })).ids;

describe('delayed under each reading', () => {
  it('running (the default) and set differ exactly on a delay that ran out', async () => {
    const open = sim.store.conversations.find((c) => c.replied && c.assistant_type === null && !c.closed && c.delayed_until === null)!;
    open.delayed_until = Math.floor(NOW / 1000) - 3600;
    try {
      expect(await listAll({ delayed: 'false' })).toContain(open.id);
      expect(await listAll({ delayed: 'false' })).toEqual(expectedIds(sim, (c) => !isDelayedAtNow(c)));
      sim.setReadings({ delayed: 'set' });
      expect(await listAll({ delayed: 'false' })).toEqual(expectedIds(sim, (c) => c.delayed_until === null));
      expect(await listAll({ delayed: 'false' })).not.toContain(open.id);
      expect(await listAll({ delayed: 'true' })).toContain(open.id);
    } finally {
      sim.setReadings({ delayed: 'running' });
      open.delayed_until = null;
    }
  });
});

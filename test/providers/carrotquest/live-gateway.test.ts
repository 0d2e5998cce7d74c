import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { control, EVENTS_SUBSCRIPTION, KEY_ALL, startLiveGateway, subscribeSse, type LiveGateway } from '../../live/helpers.js';

/**
 * Through the whole gateway: a change at the Carrot quest simulator reaches a
 * `conversationEvents` subscriber by the realtime feed. The sweep runs once an hour, so
 * only the push can have delivered it.
 */

let gw: LiveGateway;
beforeAll(async () => {
  gw = await startLiveGateway({ live: { sweepSeconds: 3600 } });
  // The first sweep of each source records where detection begins; the feed connects under its lease.
  await vi.waitFor(async () => expect(await gw.parley.gateway.shared.keyValues.get('live:swept:cq')).not.toBeNull(), { timeout: 5000 });
  await vi.waitFor(() => expect(gw.sandbox.carrotquest.rts.connections()).toBe(1), { timeout: 5000 });
});
afterAll(() => gw?.close());

const eventOf = (payload: any) => payload.data.conversationEvents;

describe('Carrot quest live events through the gateway', () => {
  it('a user reply at the simulator reaches a subscriber as PART_ADDED, by the realtime feed', async () => {
    const sub = await subscribeSse(gw.origin, KEY_ALL, EVENTS_SUBSCRIPTION, { filter: { sources: ['cq'] } });
    const conversation = gw.sandbox.carrotquest.store.conversations.find((c) => !c.closed && c.assistant_type === null && c.replied)!;
    await control(gw.sandbox.carrotquest.url, 'reply', { id: conversation.id, from: 'user', body: 'pushed, not swept' });
    const event = eventOf(await sub.waitUntil((e) => eventOf(e).kind === 'PART_ADDED' && eventOf(e).part?.body === 'pushed, not swept', 5000));
    expect(event.conversation).toMatchObject({ source: 'cq', nativeId: conversation.id });
    sub.close();
  });
});

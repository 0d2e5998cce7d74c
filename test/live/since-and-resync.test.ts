import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveOf } from '../../src/live/live-service.js';
import type { LiveEvent } from '../../src/live/events.js';
import { EVENTS_SUBSCRIPTION, KEY_ALL, startLiveGateway, subscribeSse, type LiveGateway } from './helpers.js';

/**
 * `since` replays from the log and goes on live through one cursor; past what the log
 * keeps, one RESYNC_REQUIRED. Events are appended to the log directly, as the detector
 * would, so the test controls exactly what exists.
 */

let gw: LiveGateway;
let sample: LiveEvent;
beforeAll(async () => {
  gw = await startLiveGateway({ live: { sweepSeconds: 3600, retainEvents: 10 } });
  const page = await fetch(`${gw.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY_ALL}` },
    body: JSON.stringify({ query: '{ conversations(first: 1, filter: { sources: ["cw"] }) { edges { node { nativeId } } } }' }),
  });
  const nativeId = ((await page.json()) as any).data.conversations.edges[0].node.nativeId as string;
  const [detail] = await gw.parley.gateway.sources.get('cw')!.getConversations([nativeId], {});
  sample = { kind: 'CONVERSATION_UPDATED', sourceId: 'cw', conversationId: nativeId, occurredAt: 1, origin: 'sweep', conversation: detail!.conversation, part: null };
});
afterAll(() => gw.close());

const append = (n: number) => liveOf(gw.parley.gateway).log.append({ ...sample, occurredAt: n });
const times = (events: any[]) => events.map((e) => Date.parse(e.data.conversationEvents.occurredAt));

describe('since and RESYNC_REQUIRED', () => {
  it('replays what came after `since`, then goes live with no gap and no duplicate at the seam', async () => {
    const cursors: string[] = [];
    for (let n = 1; n <= 4; n += 1) cursors.push(await append(n));
    const sub = await subscribeSse(gw.origin, KEY_ALL, EVENTS_SUBSCRIPTION, { since: cursors[1] });
    // Appended while the replay may still be running: the seam.
    await append(5);
    await append(6);
    const events = await sub.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(times(sub.events)).toEqual([3, 4, 5, 6]);
    expect(sub.events.map((e) => e.data.conversationEvents.cursor)).toEqual([cursors[2], cursors[3], expect.any(String), expect.any(String)]);
    expect(events).toHaveLength(4);
    sub.close();
  });

  it('a `since` older than the log keeps gets one RESYNC_REQUIRED, then live events', async () => {
    const old = await append(100);
    for (let n = 101; n <= 115; n += 1) await append(n);
    const sub = await subscribeSse(gw.origin, KEY_ALL, EVENTS_SUBSCRIPTION, { since: old });
    const [first] = await sub.waitFor(1);
    expect(first.data.conversationEvents).toMatchObject({ kind: 'RESYNC_REQUIRED', conversation: null, part: null });
    await append(200);
    await sub.waitFor(2);
    expect(times(sub.events.slice(1))).toEqual([200]);
    sub.close();
  });

  it('a `since` within what the log keeps replays without RESYNC_REQUIRED', async () => {
    const kept = await append(300);
    await append(301);
    const sub = await subscribeSse(gw.origin, KEY_ALL, EVENTS_SUBSCRIPTION, { since: kept });
    await sub.waitFor(1);
    expect(sub.events.map((e) => e.data.conversationEvents.kind)).toEqual(['CONVERSATION_UPDATED']);
    sub.close();
  });

  it('refuses a `since` that is not a cursor', async () => {
    const sub = await subscribeSse(gw.origin, KEY_ALL, EVENTS_SUBSCRIPTION, { since: 'yesterday' });
    const [answer] = await sub.waitFor(1);
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    sub.close();
  });
});

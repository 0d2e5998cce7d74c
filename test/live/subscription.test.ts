import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS, SOURCES, testsOf } from '../writes/provider-state/index.js';
import { control, EVENTS_SUBSCRIPTION, KEY_ALL, KEY_CW, startLiveGateway, subscribeSse, type LiveGateway } from './helpers.js';

/**
 * Live changes made at the simulators (their control API) reach subscribers over real SSE,
 * found by the sweep (one-second interval): only for sources the key reads, only when the
 * filter matches.
 */

let gw: LiveGateway;
beforeAll(async () => {
  gw = await startLiveGateway({ live: { sweepSeconds: 1 } });
  // The first sweep of each source only records where detection begins.
  await new Promise((resolve) => setTimeout(resolve, 1500));
});
afterAll(() => gw.close());

const eventOf = (payload: any) => payload.data.conversationEvents;

describe('conversationEvents over SSE', () => {
  it('a reply made at Chatwoot reaches a subscriber as PART_ADDED carrying the conversation and the part', async () => {
    const all = await subscribeSse(gw.origin, KEY_ALL, EVENTS_SUBSCRIPTION);
    const cwOnly = await subscribeSse(gw.origin, KEY_CW, EVENTS_SUBSCRIPTION);
    const open = await control(gw.sandbox.chatwoot.url, 'conversation', {});
    const reply = await control(gw.sandbox.chatwoot.url, 'reply', { id: open.id, from: 'contact', body: 'live hello' });
    const part = eventOf(await all.waitUntil((e) => eventOf(e).kind === 'PART_ADDED' && eventOf(e).part?.body === 'live hello'));
    expect(part.conversation.source).toBe('cw');
    expect(part.conversation.nativeId).toBe(String(reply.id));
    const seen = await cwOnly.waitFor(1);
    expect(seen.every((e) => e.data.conversationEvents.conversation.source === 'cw')).toBe(true);
    all.close();
    cwOnly.close();
  });

  it.each(PROVIDERS)("a customer's reply made at %s reaches a subscriber as PART_ADDED, found by the sweep", async (provider) => {
    const sourceId = SOURCES[provider];
    const sim = gw.sandbox[provider];
    const sub = await subscribeSse(gw.origin, KEY_ALL, EVENTS_SUBSCRIPTION, { filter: { sources: [sourceId] } });
    const body = `swept reply at ${provider}`;
    const id = await testsOf(provider).live.startConversation(sim);
    await testsOf(provider).live.customerReply(sim, id, body);
    const part = eventOf(await sub.waitUntil((e) => eventOf(e).kind === 'PART_ADDED' && eventOf(e).part?.body?.includes(body), 8000));
    expect(part.conversation).toMatchObject({ source: sourceId, nativeId: id });
    expect(sub.events.every((e) => eventOf(e).conversation.source === sourceId)).toBe(true);
    sub.close();
  });

  it("a key scoped to Chatwoot never receives another source's event", async () => {
    const others = PROVIDERS.filter((provider) => provider !== 'chatwoot');
    const cwOnly = await subscribeSse(gw.origin, KEY_CW, EVENTS_SUBSCRIPTION);
    const all = await subscribeSse(gw.origin, KEY_ALL, EVENTS_SUBSCRIPTION, { filter: { sources: others.map((provider) => SOURCES[provider]) } });
    const created = await Promise.all(others.map((provider) => testsOf(provider).live.startConversation(gw.sandbox[provider])));
    const sourcesSeen = () => [...new Set(all.events.map((e) => eventOf(e).conversation.source))].sort();
    await all.waitUntil(() => sourcesSeen().length === others.length);
    expect(sourcesSeen()).toEqual(others.map((provider) => SOURCES[provider]).sort());
    expect(created).toHaveLength(others.length);
    // Wait for one more sweep of every source, then check the scoped key saw nothing from another.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(cwOnly.events.filter((e) => e.data?.conversationEvents?.conversation?.source !== 'cw')).toEqual([]);
    cwOnly.close();
    all.close();
  });

  it('the filter is the connection filter, evaluated on the changed conversation', async () => {
    const all = await subscribeSse(gw.origin, KEY_ALL, EVENTS_SUBSCRIPTION, { filter: { sources: ['cw'] } });
    const closedOnly = await subscribeSse(gw.origin, KEY_ALL, EVENTS_SUBSCRIPTION, { filter: { sources: ['cw'], status: ['CLOSED'] } });
    const open = await control(gw.sandbox.chatwoot.url, 'conversation', {});
    await control(gw.sandbox.chatwoot.url, 'reply', { id: open.id, from: 'contact', body: 'not for closed' });
    await all.waitUntil((e) => eventOf(e).part?.body === 'not for closed');
    await control(gw.sandbox.chatwoot.url, 'status', { id: open.id, status: 'resolved' });
    const closed = eventOf(await closedOnly.waitUntil((e) => eventOf(e).conversation.nativeId === String(open.id)));
    expect(closed.kind).toBe('STATUS_CHANGED');
    expect(closed.conversation.status).toBe('CLOSED');
    for (const event of closedOnly.events) expect(eventOf(event).conversation.status).toBe('CLOSED');
    all.close();
    closedOnly.close();
  });

  it('refuses a search filter at subscribe time', async () => {
    const refused = await subscribeSse(gw.origin, KEY_ALL, EVENTS_SUBSCRIPTION, { filter: { search: 'refund' } });
    const [answer] = await refused.waitFor(1);
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    refused.close();
  });
});

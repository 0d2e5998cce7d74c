import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { control, EVENTS_SUBSCRIPTION, KEY_PUSH as KEY, startPushGateway, subscribeSse, type LiveGateway } from '../../live/helpers.js';

/**
 * Through the whole gateway: the source config holds the app's client secret, the sandbox
 * saves Parley's URL as the app's webhook (as an operator would in the Developer Hub), and
 * a customer's reply at the simulator reaches a `conversationEvents` subscriber. The sweep
 * runs once an hour here, so only the signed notification can deliver within the test.
 */
describe('Intercom push through the gateway', () => {
  let gw: LiveGateway;
  let sandbox: Sandbox;
  let origin: string;

  beforeAll(async () => {
    gw = await startPushGateway('intercom');
    ({ sandbox, origin } = gw);
    await sandbox.intercom.webhooks.settled();
  });
  afterAll(() => gw.close());

  const outcomesSince = (index: number) => sandbox.intercom.webhooks.deliveries().slice(index).flatMap((delivery) => delivery.attempts.map((attempt) => attempt.outcome));

  it("the sandbox saved the gateway's URL as the app's webhook, and the gateway accepted the ping", () => {
    expect(sandbox.intercom.webhooks.settings().url).toBe(`${origin}/webhooks/ic`);
    const deliveries = sandbox.intercom.webhooks.deliveries();
    expect(deliveries.map((delivery) => delivery.topic)).toEqual(['ping']);
    expect(outcomesSince(0)).toEqual([202]);
  });

  it("a customer's reply reaches a subscriber as PART_ADDED through the signed notification", async () => {
    const subscriber = await subscribeSse(origin, KEY, EVENTS_SUBSCRIPTION);
    const before = sandbox.intercom.webhooks.deliveries().length;
    const created = await control(sandbox.intercom.url, 'conversation', {});
    const first = await subscriber.waitUntil((e) => e.data?.conversationEvents?.conversation?.nativeId === created.id, 10_000);
    expect(first.data.conversationEvents.conversation.source).toBe('ic');
    // Intercom's times are whole seconds: a change in the same second as the last read looks like no change.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await control(sandbox.intercom.url, 'reply', { id: created.id, from: 'user', body: 'pushed hello' });
    const event = (await subscriber.waitUntil((e) => String(e.data?.conversationEvents?.part?.body ?? '').includes('pushed hello'), 10_000)).data.conversationEvents;
    expect(event).toMatchObject({ kind: 'PART_ADDED', conversation: { source: 'ic', nativeId: created.id } });
    await sandbox.intercom.webhooks.settled();
    const sent = sandbox.intercom.webhooks.deliveries().slice(before);
    expect(sent.map((delivery) => [delivery.topic, delivery.conversationId])).toEqual([
      ['conversation.user.created', created.id],
      ['conversation.user.replied', created.id],
    ]);
    expect(outcomesSince(before)).toEqual([202, 202]);
    subscriber.close();
  });

  it('notifications signed with another secret are refused and changes nothing', async () => {
    sandbox.intercom.webhooks.setKnobs({ signing: 'wrong-secret', retryDelayMs: 10 });
    const before = sandbox.intercom.webhooks.deliveries().length;
    await control(sandbox.intercom.url, 'conversation', {});
    await sandbox.intercom.webhooks.settled();
    // Refused, so retried once: and refused again.
    expect(outcomesSince(before)).toEqual([401, 401]);
    sandbox.intercom.webhooks.setKnobs({ signing: 'signed', retryDelayMs: 60_000 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { control, EVENTS_SUBSCRIPTION, KEY_PUSH as KEY, startPushGateway, subscribeSse, type LiveGateway } from '../../live/helpers.js';

/**
 * Through the whole gateway: the sandbox registers Parley's webhook URL at the Chatwoot
 * simulator (as an operator would) with the secret it put in the source config, and a
 * change at the simulator reaches a `conversationEvents` subscriber. The sweep runs once
 * an hour here, so only the push can deliver within the test.
 */
describe('Chatwoot push through the gateway', () => {
  let gw: LiveGateway;
  let sandbox: Sandbox;
  let origin: string;

  beforeAll(async () => {
    gw = await startPushGateway('chatwoot');
    ({ sandbox, origin } = gw);
  });
  afterAll(() => gw.close());

  it('the sandbox registered the gateway as a webhook, as an operator would', () => {
    expect(sandbox.chatwoot.webhooks.list().map((webhook) => webhook.url)).toEqual([`${origin}/webhooks/cw`]);
  });

  it('a reply at the simulator reaches a subscriber through the signed webhook', async () => {
    const subscriber = await subscribeSse(origin, KEY, EVENTS_SUBSCRIPTION);
    const created = await control(sandbox.chatwoot.url, 'conversation', {});
    const first = await subscriber.waitUntil((e) => e.data?.conversationEvents?.conversation?.nativeId === String(created.id), 10_000);
    expect(first.data.conversationEvents.kind).toBe('CONVERSATION_CREATED');
    // Chatwoot's times are whole seconds: a change in the same second as the last read looks like no change.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await control(sandbox.chatwoot.url, 'reply', { id: created.id, from: 'contact', body: 'pushed hello' });
    const event = (await subscriber.waitUntil((e) => e.data?.conversationEvents?.part?.body === 'pushed hello', 10_000)).data.conversationEvents;
    expect(event).toMatchObject({ kind: 'PART_ADDED', conversation: { source: 'cw', nativeId: String(created.id) } });
    await sandbox.chatwoot.webhooks.settled();
    const outcomes = sandbox.chatwoot.webhooks.deliveries().flatMap((delivery) => delivery.attempts.map((attempt) => attempt.outcome));
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((outcome) => outcome === 202 || outcome === 200)).toBe(true);
    subscriber.close();
  });

  it('deliveries signed with another secret are refused and change nothing', async () => {
    sandbox.chatwoot.webhooks.setKnobs({ signing: 'wrong-secret' });
    const before = sandbox.chatwoot.webhooks.deliveries().length;
    await control(sandbox.chatwoot.url, 'conversation', {});
    await sandbox.chatwoot.webhooks.settled();
    const outcomes = sandbox.chatwoot.webhooks.deliveries().slice(before).flatMap((delivery) => delivery.attempts.map((attempt) => attempt.outcome));
    expect(outcomes.length).toBeGreaterThan(0);
    expect(new Set(outcomes)).toEqual(new Set([401]));
    sandbox.chatwoot.webhooks.setKnobs({ signing: 'signed' });
  });
});

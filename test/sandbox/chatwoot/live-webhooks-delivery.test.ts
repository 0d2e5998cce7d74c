import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WEBHOOK_EVENTS, type ChatwootSimulator, type ChatwootSimulatorOptions } from '../../../src/sandbox/chatwoot/index.js';
import type { CwConversation } from '../../../src/sandbox/chatwoot/records.js';
import { post, startSmall } from './helpers.js';
import { call, change, register, startReceiver, type Received, type Receiver } from './live-receiver.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Computed here with node's HMAC, not with the simulator's code. */
const signatureOf = (secret: string, delivery: Received) =>
  `sha256=${createHmac('sha256', secret).update(`${String(delivery.headers['x-chatwoot-timestamp'])}.`).update(delivery.raw).digest('hex')}`;

describe('Chatwoot simulator: webhook deliveries', () => {
  let sim: ChatwootSimulator;
  let receiver: Receiver;
  let secret: string;

  async function setUp(options: ChatwootSimulatorOptions = {}, subscriptions: string[] = [...WEBHOOK_EVENTS]) {
    sim = await startSmall(options);
    receiver = await startReceiver();
    ({ secret } = await register(sim, `${receiver.url}/hook`, subscriptions));
  }
  const settled = () => sim.webhooks.settled();
  const events = () => receiver.received.map((d) => d.body.event as string).sort();
  const withStatus = (status: string) => sim.store.conversations.find((c) => c.status === status)!;

  beforeEach(() => setUp());
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  it('a status change posts conversation_status_changed and conversation_updated, signed with the secret the API returned', async () => {
    const open = withStatus('open');
    await change(sim, 'status', { id: open.displayId, status: 'resolved' });
    await settled();
    // The activity message the change writes is no webhook.
    expect(events()).toEqual(['conversation_status_changed', 'conversation_updated']);
    for (const delivery of receiver.received) {
      expect(delivery.path).toBe('/hook');
      expect(delivery.body).toMatchObject({ id: open.displayId, status: 'resolved', inbox_id: open.inboxId });
      expect(delivery.body.changed_attributes).toContainEqual({ status: { previous_value: 'open', current_value: 'resolved' } });
      expect(typeof delivery.body.updated_at).toBe('number');
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(delivery.headers['x-chatwoot-signature']).toBe(signatureOf(secret, delivery));
      expect(Math.abs(Number(delivery.headers['x-chatwoot-timestamp']) * 1000 - Date.now())).toBeLessThan(60_000);
      expect(delivery.headers['x-chatwoot-delivery']).toMatch(UUID);
    }
    expect(receiver.received[0]!.headers['x-chatwoot-delivery']).not.toBe(receiver.received[1]!.headers['x-chatwoot-delivery']);
  });

  it("a contact's reply posts message_created with the webhook's own shapes, and reopens with status events", async () => {
    const resolved = withStatus('resolved');
    await change(sim, 'reply', { id: resolved.displayId, from: 'contact', body: 'still broken' });
    await settled();
    expect(new Set(events())).toEqual(new Set(['conversation_status_changed', 'conversation_updated', 'message_created']));
    const reopened = receiver.received.filter((d) => d.body.event === 'conversation_updated' && d.body.changed_attributes.some((c: object) => 'status' in c));
    expect(reopened.map((d) => d.body.status)).toEqual(['open']);
    const message = receiver.received.find((d) => d.body.event === 'message_created')!.body;
    expect(message).toMatchObject({ content: 'still broken', message_type: 'incoming', private: false, conversation: { id: resolved.displayId, status: 'open' }, account: { id: sim.credentials.accountId } });
    expect(message.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(message.sender).toMatchObject({ id: resolved.contactId });
  });

  it('a private note posted through the API is delivered; mark-read posts nothing', async () => {
    const conversation = withStatus('open');
    await post(sim, `conversations/${conversation.displayId}/messages`, { content: 'internal', private: true });
    await settled();
    const note = receiver.received.find((d) => d.body.event === 'message_created')!.body;
    expect(note).toMatchObject({ content: 'internal', private: true, message_type: 'outgoing', sender: { type: 'user' } });
    const before = receiver.received.length;
    await post(sim, `conversations/${conversation.displayId}/update_last_seen`, {});
    await settled();
    expect(receiver.received.length).toBe(before);
  });

  it('an assignment through the API posts conversation_updated with the assignee change', async () => {
    const conversation = sim.store.conversations.find((c) => c.assigneeId === null && c.assigneeAgentBotId === null)!;
    const agent = sim.store.users.find((u) => u.role === 'agent')!;
    await post(sim, `conversations/${conversation.displayId}/assignments`, { assignee_id: agent.id });
    await settled();
    expect(events()).toEqual(['conversation_updated']);
    const body = receiver.received[0]!.body;
    expect(body.changed_attributes).toContainEqual({ assignee_id: { previous_value: null, current_value: agent.id } });
    expect(body.meta).toMatchObject({ assignee: { id: agent.id, type: 'user' }, assignee_type: 'User' });
  });

  it('a new conversation posts conversation_created and its first messages', async () => {
    const answer = await change(sim, 'conversation', {});
    await settled();
    const created = receiver.received.filter((d) => d.body.event === 'conversation_created');
    expect(created.map((d) => d.body.id)).toEqual([answer.json.id]);
    const messages = receiver.received.filter((d) => d.body.event === 'message_created');
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((d) => d.body.conversation.id === answer.json.id)).toBe(true);
  });

  it('a typing event carries the conversation and the user', async () => {
    const conversation = withStatus('open');
    await change(sim, 'typing', { id: conversation.displayId });
    await settled();
    expect(receiver.received.map((d) => d.body)).toEqual([
      { event: 'conversation_typing_on', user: expect.objectContaining({ type: 'user' }), conversation: expect.objectContaining({ id: conversation.displayId }), is_private: false },
    ]);
  });

  it('posts only the events a webhook subscribed to', async () => {
    await call(sim, 'PATCH', `webhooks/${sim.webhooks.list()[0]!.id}`, { webhook: { subscriptions: ['message_created'] } });
    await change(sim, 'status', { id: withStatus('open').displayId, status: 'pending' });
    await settled();
    expect(receiver.received).toEqual([]);
  });

  it('answers the change before any delivery is answered', async () => {
    receiver.hold = true;
    const answer = await change(sim, 'status', { id: withStatus('open').displayId, status: 'resolved' });
    expect(answer.status).toBe(201);
    receiver.release();
    await settled();
    expect(receiver.received.length).toBe(2);
  });
});

describe('Chatwoot simulator: delivery knobs', () => {
  let sim: ChatwootSimulator;
  let receiver: Receiver;
  let secret: string;
  const open = (): CwConversation => sim.store.conversations.find((c) => c.status === 'open')!;

  async function setUp(options: ChatwootSimulatorOptions) {
    sim = await startSmall(options);
    receiver = await startReceiver();
    ({ secret } = await register(sim, `${receiver.url}/hook`, ['conversation_status_changed']));
  }
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  it('drops deliveries: none is posted and each is recorded as dropped', async () => {
    await setUp({ webhooks: { dropRate: 1 } });
    await change(sim, 'status', { id: open().displayId, status: 'resolved' });
    await sim.webhooks.settled();
    expect(receiver.received).toEqual([]);
    expect(sim.webhooks.deliveries().map((d) => [d.event, d.dropped])).toEqual([['conversation_status_changed', true]]);
  });

  it('duplicates deliveries with the same delivery id', async () => {
    await setUp({ webhooks: { duplicateRate: 1 } });
    await change(sim, 'status', { id: open().displayId, status: 'resolved' });
    await sim.webhooks.settled();
    expect(receiver.received.length).toBe(2);
    expect(receiver.received[0]!.headers['x-chatwoot-delivery']).toBe(receiver.received[1]!.headers['x-chatwoot-delivery']);
    expect(receiver.received[0]!.raw.equals(receiver.received[1]!.raw)).toBe(true);
  });

  it('reorders: with a delay window, changes arrive in another order than they were made', async () => {
    await setUp({ webhooks: { reorderMs: 400 } });
    const ids = sim.store.conversations.filter((c) => c.status === 'open').slice(0, 10).map((c) => c.displayId);
    for (const id of ids) await change(sim, 'status', { id, status: 'resolved' });
    await sim.webhooks.settled();
    const arrived = receiver.received.map((d) => d.body.id as number);
    expect([...arrived].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(arrived).not.toEqual(ids);
  });

  it('wrong-secret mode (issue 13809): the secret the API returned does not verify the signature', async () => {
    await setUp({ webhooks: { signing: 'wrong-secret' } });
    await change(sim, 'status', { id: open().displayId, status: 'resolved' });
    await sim.webhooks.settled();
    const [delivery] = receiver.received;
    expect(delivery!.headers['x-chatwoot-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(delivery!.headers['x-chatwoot-signature']).not.toBe(signatureOf(secret, delivery!));
  });

  it('legacy mode (before v4.11.2) sends no signing headers at all', async () => {
    await setUp({});
    expect(await change(sim, 'webhooks', { signing: 'unsigned' })).toMatchObject({ status: 201, json: { signing: 'unsigned' } });
    await change(sim, 'status', { id: open().displayId, status: 'resolved' });
    await sim.webhooks.settled();
    const headers = Object.keys(receiver.received[0]!.headers);
    expect(headers.filter((name) => name.startsWith('x-chatwoot'))).toEqual([]);
  });

  it('refuses knob values it cannot play', async () => {
    await setUp({});
    expect((await change(sim, 'webhooks', { dropRate: 2 })).status).toBe(400);
    expect((await change(sim, 'webhooks', { signing: 'maybe' })).status).toBe(400);
    expect(sim.webhooks.knobs()).toEqual({ dropRate: 0, duplicateRate: 0, reorderMs: 0, signing: 'signed' });
  });

  it('retries a failed delivery only under the newer-version reading, with the same delivery id', async () => {
    await setUp({ webhookRetryUnitMs: 1 });
    receiver.status = 500;
    await change(sim, 'status', { id: open().displayId, status: 'resolved' });
    await sim.webhooks.settled();
    expect(receiver.received.length).toBe(1);

    sim.setReadings({ webhookAttempts: 5 });
    receiver.received.length = 0;
    await change(sim, 'status', { id: open().displayId, status: 'resolved' });
    await sim.webhooks.settled();
    expect(receiver.received.length).toBe(5);
    expect(new Set(receiver.received.map((d) => d.headers['x-chatwoot-delivery'])).size).toBe(1);
    expect(sim.webhooks.deliveries().at(-1)!.attempts.map((a) => a.outcome)).toEqual([500, 500, 500, 500, 500]);
  });
});

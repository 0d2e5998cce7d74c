import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { IntercomSimulator, IntercomSimulatorOptions } from '../../../src/sandbox/intercom/index.js';
import { startReceiver, type Received, type Receiver } from '../chatwoot/live-receiver.js';
import { call, startSmall } from './helpers.js';

/**
 * The simulator's webhook notifications, checked against docs/providers/intercom.md
 * section 10: the envelope, `X-Hub-Signature` (recomputed here with node's HMAC-SHA1), the
 * item as `GET /conversations/{id}` shows it, the ping on saving, the one retry and the
 * delivery knobs.
 */

const NOTIFICATION_ID = /^notif_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const signatureOf = (secret: string, delivery: Received) => `sha1=${createHmac('sha1', secret).update(delivery.raw).digest('hex')}`;

async function control(sim: IntercomSimulator, action: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${sim.url}/__sandbox/change/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

async function write(sim: IntercomSimulator, method: 'POST' | 'DELETE', path: string, body: unknown): Promise<number> {
  const response = await fetch(sim.url + path, {
    method,
    headers: { authorization: `Bearer ${sim.credentials.token}`, 'intercom-version': '2.14', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('Intercom simulator: webhook notifications', () => {
  let sim: IntercomSimulator;
  let receiver: Receiver;

  async function setUp(options: IntercomSimulatorOptions = {}, topics?: string[]) {
    sim = await startSmall(options);
    receiver = await startReceiver();
    sim.webhooks.save({ url: `${receiver.url}/hook`, ...(topics ? { topics } : {}) });
    await sim.webhooks.settled();
  }
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });
  const settled = () => sim.webhooks.settled();
  const posted = () => receiver.received.filter((d) => d.body.topic !== 'ping');
  const topics = () => posted().map((d) => d.body.topic as string);
  const open = () => sim.store.conversations.find((c) => c.state === 'open')!;
  const admin = () => sim.store.teammates()[0]!.id;

  it('saving the URL pings it, signed with the client secret, with every field of the envelope', async () => {
    await setUp();
    expect(receiver.received.length).toBe(1);
    const [ping] = receiver.received;
    expect(ping!.path).toBe('/hook');
    expect(ping!.headers['content-type']).toBe('application/json');
    expect(ping!.headers['x-hub-signature']).toBe(signatureOf(sim.webhooks.clientSecret, ping!));
    expect(ping!.body).toMatchObject({ type: 'notification_event', topic: 'ping', app_id: sim.workspaceId, delivery_attempts: 1, data: { type: 'notification_event_data', item: { type: 'ping' } } });
    expect(ping!.body.id).toMatch(NOTIFICATION_ID);
    expect(Math.abs(ping!.body.first_sent_at * 1000 - Date.now())).toBeLessThan(60_000);
    expect(Number.isInteger(ping!.body.created_at)).toBe(true);
    expect(sim.webhooks.settings().topics).toContain('conversation.user.replied');
  });

  it("a contact's reply posts conversation.user.replied whose item is the conversation exactly as GET shows it", async () => {
    await setUp();
    const conversation = open();
    await control(sim, 'reply', { id: conversation.id, from: 'user', body: 'still broken' });
    await settled();
    expect(topics()).toEqual(['conversation.user.replied']);
    const [delivery] = posted();
    expect(delivery!.headers['x-hub-signature']).toBe(signatureOf(sim.webhooks.clientSecret, delivery!));
    expect(delivery!.body.id).toMatch(NOTIFICATION_ID);
    expect(delivery!.body.id).not.toBe(receiver.received[0]!.body.id);
    const shown = await call(sim, 'GET', `/conversations/${conversation.id}`);
    expect(delivery!.body.data).toEqual({ type: 'notification_event_data', item: shown.body });
    expect(delivery!.body.data.item.conversation_parts.conversation_parts.at(-1)).toMatchObject({ part_type: 'comment', body: 'still broken', author: { type: 'user' } });
  });

  it('each change posts the topic Intercom names it by, about its conversation', async () => {
    await setUp();
    const [a, b, c] = sim.store.conversations.filter((x) => x.state === 'open');
    const created = await control(sim, 'conversation', {});
    await control(sim, 'reply', { id: a!.id, from: 'admin', body: 'on it' });
    await control(sim, 'reply', { id: a!.id, from: 'admin', body: 'internal', note: true });
    await control(sim, 'state', { id: a!.id, state: 'closed' });
    await control(sim, 'state', { id: a!.id, state: 'open' });
    await control(sim, 'state', { id: b!.id, state: 'snoozed', snoozedUntil: Math.floor(Date.now() / 1000) + 3600 });
    expect(await write(sim, 'POST', `/conversations/${c!.id}/parts`, { message_type: 'assignment', type: 'admin', admin_id: admin(), assignee_id: admin() })).toBe(200);
    const tag = sim.store.tags.find((t) => !c!.tagIds.includes(t.id))!;
    expect(await write(sim, 'POST', `/conversations/${c!.id}/tags`, { id: tag.id, admin_id: admin() })).toBe(200);
    await settled();
    expect(posted().map((d) => [d.body.topic, d.body.data.item.id])).toEqual([
      ['conversation.user.created', created.json.id],
      ['conversation.admin.replied', a!.id],
      ['conversation.admin.noted', a!.id],
      ['conversation.admin.closed', a!.id],
      ['conversation.admin.opened', a!.id],
      ['conversation.admin.snoozed', b!.id],
      ['conversation.admin.assigned', c!.id],
      ['conversation_part.tag.created', c!.id],
    ]);
    // Each item is the conversation at its change: the close shows it closed, the next one open.
    expect(posted()[3]!.body.data.item).toMatchObject({ type: 'conversation', state: 'closed', open: false });
    expect(posted()[4]!.body.data.item).toMatchObject({ state: 'open', open: true });
    expect(posted()[7]!.body.data.item.tags.tags.map((t: { id: string }) => t.id)).toContain(tag.id);
    for (const delivery of posted()) expect(delivery.headers['x-hub-signature']).toBe(signatureOf(sim.webhooks.clientSecret, delivery));
  });

  it('a change Intercom names no topic for (a tag removed) posts nothing', async () => {
    await setUp();
    const tagged = sim.store.conversations.find((x) => x.tagIds.length > 0)!;
    expect(await write(sim, 'DELETE', `/conversations/${tagged.id}/tags/${tagged.tagIds[0]!}`, { admin_id: admin() })).toBe(200);
    await settled();
    expect(posted()).toEqual([]);
    expect(sim.webhooks.deliveries().map((d) => d.topic)).toEqual(['ping']);
  });

  it('posts only the topics subscribed, and nothing before a URL is saved', async () => {
    sim = await startSmall();
    receiver = await startReceiver();
    await control(sim, 'reply', { id: open().id, from: 'user' });
    await settled();
    expect(sim.webhooks.deliveries()).toEqual([]);
    expect((await control(sim, 'webhook', { url: `${receiver.url}/hook`, topics: ['conversation.user.replied'] })).json).toEqual({
      url: `${receiver.url}/hook`,
      topics: ['conversation.user.replied'],
    });
    await control(sim, 'reply', { id: open().id, from: 'admin' });
    await control(sim, 'reply', { id: open().id, from: 'user' });
    await settled();
    expect(topics()).toEqual(['conversation.user.replied']);
  });

  it('refuses settings and knob values it cannot play', async () => {
    await setUp();
    expect((await control(sim, 'webhook', { url: 'ftp://example.test' })).status).toBe(400);
    expect((await control(sim, 'webhook', { url: `${receiver.url}/x`, topics: ['Not A Topic'] })).status).toBe(400);
    expect((await control(sim, 'webhooks', { dropRate: 2 })).status).toBe(400);
    expect((await control(sim, 'webhooks', { signing: 'maybe' })).status).toBe(400);
    expect((await control(sim, 'webhooks', { retryDelayMs: -1 })).status).toBe(400);
    expect(sim.webhooks.knobs()).toEqual({ dropRate: 0, duplicateRate: 0, reorderMs: 0, signing: 'signed', retryDelayMs: 60_000 });
    expect(sim.webhooks.settings().url).toBe(`${receiver.url}/hook`);
  });

  it('answers the change before any notification is answered', async () => {
    await setUp();
    receiver.hold = true;
    const answer = await control(sim, 'reply', { id: open().id, from: 'user' });
    expect(answer.status).toBe(201);
    receiver.release();
    await settled();
    expect(topics()).toEqual(['conversation.user.replied']);
  });
});

describe('Intercom simulator: delivery knobs and the retry', () => {
  let sim: IntercomSimulator;
  let receiver: Receiver;

  async function setUp(options: IntercomSimulatorOptions = {}) {
    sim = await startSmall(options);
    receiver = await startReceiver();
    sim.webhooks.save({ url: `${receiver.url}/hook` });
    await sim.webhooks.settled();
    receiver.received.splice(0);
  }
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });
  const reply = async () => {
    await control(sim, 'reply', { id: sim.store.conversations.find((c) => c.state === 'open')!.id, from: 'user' });
    await sim.webhooks.settled();
  };

  it('a failed notification is retried once, with the same id and delivery_attempts 2', async () => {
    await setUp({ webhooks: { retryDelayMs: 30 } });
    receiver.status = 500;
    await reply();
    expect(receiver.received.length).toBe(2);
    const [first, second] = receiver.received;
    expect(second!.body.id).toBe(first!.body.id);
    expect([first!.body.delivery_attempts, second!.body.delivery_attempts]).toEqual([1, 2]);
    expect(second!.body.first_sent_at).toBe(first!.body.first_sent_at);
    expect(second!.body.data).toEqual(first!.body.data);
    // Each attempt is signed over its own bytes.
    for (const delivery of receiver.received) expect(delivery.headers['x-hub-signature']).toBe(signatureOf(sim.webhooks.clientSecret, delivery));
    const [record] = sim.webhooks.deliveries().filter((d) => d.topic !== 'ping');
    expect(record!.attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 500],
      [2, 500],
    ]);
  });

  it('a notification answered 2xx is sent once; a ping that fails is not retried', async () => {
    await setUp({ webhooks: { retryDelayMs: 1 } });
    receiver.status = 202;
    await reply();
    expect(receiver.received.length).toBe(1);
    receiver.status = 404;
    sim.webhooks.save({ url: `${receiver.url}/other` });
    await sim.webhooks.settled();
    expect(receiver.received.map((d) => [d.body.topic, d.path])).toEqual([
      ['conversation.user.replied', '/hook'],
      ['ping', '/other'],
    ]);
  });

  it('drops notifications: none is posted and each is recorded as dropped', async () => {
    await setUp({ webhooks: { dropRate: 1 } });
    await reply();
    expect(receiver.received).toEqual([]);
    expect(sim.webhooks.deliveries().map((d) => [d.topic, d.dropped])).toEqual([
      ['ping', true],
      ['conversation.user.replied', true],
    ]);
  });

  it('duplicates notifications byte for byte, with the same id', async () => {
    await setUp();
    sim.webhooks.setKnobs({ duplicateRate: 1 });
    await reply();
    expect(receiver.received.length).toBe(2);
    expect(receiver.received[0]!.raw.equals(receiver.received[1]!.raw)).toBe(true);
    expect(receiver.received[0]!.headers['x-hub-signature']).toBe(receiver.received[1]!.headers['x-hub-signature']);
  });

  it('reorders: with a delay window, changes arrive in another order than they were made', async () => {
    await setUp({ webhooks: { reorderMs: 300 } });
    const ids = sim.store.conversations.filter((c) => c.state === 'open').slice(0, 10).map((c) => c.id);
    for (const id of ids) await control(sim, 'reply', { id, from: 'user' });
    await sim.webhooks.settled();
    const arrived = receiver.received.map((d) => d.body.data.item.id as string);
    expect([...arrived].sort()).toEqual([...ids].sort());
    expect(arrived).not.toEqual(ids);
  });

  it('wrong-secret signs with another key; unsigned sends no X-Hub-Signature (also through the control API)', async () => {
    await setUp();
    sim.webhooks.setKnobs({ signing: 'wrong-secret' });
    await reply();
    const [wrong] = receiver.received;
    expect(wrong!.headers['x-hub-signature']).toMatch(/^sha1=[0-9a-f]{40}$/);
    expect(wrong!.headers['x-hub-signature']).not.toBe(signatureOf(sim.webhooks.clientSecret, wrong!));
    expect((await control(sim, 'webhooks', { signing: 'unsigned' })).json).toMatchObject({ signing: 'unsigned' });
    await reply();
    expect(receiver.received.length).toBe(2);
    expect(receiver.received[1]!.headers['x-hub-signature']).toBeUndefined();
  });
});

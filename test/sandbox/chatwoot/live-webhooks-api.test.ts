import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatwootSimulator } from '../../../src/sandbox/chatwoot/index.js';
import { startSmall } from './helpers.js';
import { call } from './live-receiver.js';

describe('Chatwoot simulator: the account webhooks API', () => {
  let sim: ChatwootSimulator;
  beforeAll(async () => {
    sim = await startSmall();
  });
  afterAll(() => sim.close());

  it('creates a webhook for an administrator and answers it with its secret', async () => {
    const created = await call(sim, 'POST', 'webhooks', { webhook: { url: 'https://example.test/a', subscriptions: ['message_created'], name: 'A' } });
    expect(created.status).toBe(200);
    const webhook = created.json.payload.webhook;
    expect(webhook).toEqual({ id: expect.any(Number), name: 'A', url: 'https://example.test/a', account_id: sim.credentials.accountId, subscriptions: ['message_created'], secret: expect.stringMatching(/^[1-9A-Za-z]{24}$/) });
    const listed = await call(sim, 'GET', 'webhooks');
    expect(listed.json.payload.webhooks).toContainEqual(webhook);
  });

  it('gives every webhook its own secret', async () => {
    const a = await call(sim, 'POST', 'webhooks', { webhook: { url: 'https://example.test/s1', subscriptions: ['message_created'] } });
    const b = await call(sim, 'POST', 'webhooks', { webhook: { url: 'https://example.test/s2', subscriptions: ['message_created'] } });
    expect(a.json.payload.webhook.secret).not.toBe(b.json.payload.webhook.secret);
  });

  it('takes top-level keys as Rails param wrapping files them under `webhook`', async () => {
    const created = await call(sim, 'POST', 'webhooks', { url: 'https://example.test/top', subscriptions: ['conversation_created'] });
    expect(created.status).toBe(200);
    expect(created.json.payload.webhook.url).toBe('https://example.test/top');
  });

  it('refuses agents and bots: webhooks are for administrators', async () => {
    const body = { webhook: { url: 'https://example.test/agent', subscriptions: ['message_created'] } };
    expect(await call(sim, 'POST', 'webhooks', body, sim.credentials.agentToken)).toEqual({ status: 401, json: { error: 'You are not authorized to do this action' } });
    expect((await call(sim, 'GET', 'webhooks', undefined, sim.credentials.agentToken)).status).toBe(401);
    expect((await call(sim, 'GET', 'webhooks', undefined, sim.credentials.botToken)).status).toBe(401);
  });

  it('keeps URLs unique in the account', async () => {
    await call(sim, 'POST', 'webhooks', { webhook: { url: 'https://example.test/dup', subscriptions: ['message_created'] } });
    const again = await call(sim, 'POST', 'webhooks', { webhook: { url: 'https://example.test/dup', subscriptions: ['conversation_created'] } });
    expect(again).toEqual({ status: 422, json: { message: 'Url has already been taken', attributes: ['url'] } });
  });

  it('takes only a non-empty subset of the 12 events', async () => {
    for (const subscriptions of [[], ['message_created', 'conversation_read'], 'message_created', undefined]) {
      const answer = await call(sim, 'POST', 'webhooks', { webhook: { url: `https://example.test/sub-${String(subscriptions)}`, subscriptions } });
      expect(answer).toEqual({ status: 422, json: { message: 'Subscriptions Invalid events', attributes: ['subscriptions'] } });
    }
  });

  it('refuses a URL that is not http(s) and a body without the webhook', async () => {
    expect((await call(sim, 'POST', 'webhooks', { webhook: { url: 'ftp://example.test', subscriptions: ['message_created'] } })).json).toEqual({
      message: 'Url is invalid',
      attributes: ['url'],
    });
    expect(await call(sim, 'POST', 'webhooks', { other: 1 })).toEqual({ status: 422, json: { error: 'param is missing or the value is empty: webhook' } });
  });

  it('updates the given fields only, and deletes', async () => {
    const { json } = await call(sim, 'POST', 'webhooks', { webhook: { url: 'https://example.test/upd', subscriptions: ['message_created'], name: 'before' } });
    const { id, secret } = json.payload.webhook;
    const updated = await call(sim, 'PATCH', `webhooks/${id}`, { webhook: { subscriptions: ['conversation_updated', 'message_created'] } });
    expect(updated.json.payload.webhook).toMatchObject({ id, name: 'before', url: 'https://example.test/upd', subscriptions: ['conversation_updated', 'message_created'], secret });
    expect((await call(sim, 'PATCH', `webhooks/${id}`, { webhook: { subscriptions: ['nope'] } })).status).toBe(422);
    expect(await call(sim, 'DELETE', `webhooks/${id}`)).toEqual({ status: 200, json: undefined });
    expect((await call(sim, 'GET', 'webhooks')).json.payload.webhooks.map((w: { id: number }) => w.id)).not.toContain(id);
    expect((await call(sim, 'PATCH', `webhooks/${id}`, { webhook: { name: 'x' } })).status).toBe(404);
    expect((await call(sim, 'DELETE', `webhooks/${id}`)).status).toBe(404);
  });
});

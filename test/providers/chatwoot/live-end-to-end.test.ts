import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../../src/http/upstream-client.js';
import type { SourceClient } from '../../../src/providers/adapter.js';
import { chatwootAdapter, chatwootConfigSchema } from '../../../src/providers/chatwoot/index.js';
import type { WebhookVerdict } from '../../../src/providers/live-contract.js';
import { startChatwootSimulator, type ChatwootSimulator } from '../../../src/sandbox/chatwoot/index.js';
import { call, change, register, startReceiver, type Receiver } from '../../sandbox/chatwoot/live-receiver.js';

/**
 * From a change at the simulator to hints, through the adapter's own webhook check: the
 * receiver hands each delivery's raw bytes and headers to `source.live.webhook.verify`.
 */
describe('Chatwoot push end to end: simulator change -> signed webhook -> hints', () => {
  let sim: ChatwootSimulator;
  let receiver: Receiver;
  let source: SourceClient;
  let verdicts: WebhookVerdict[];
  const scope = () => ({ signal: AbortSignal.timeout(5000), deadline: Date.now() + 5000, requestId: 'test' });

  beforeEach(async () => {
    sim = await startChatwootSimulator({ conversations: 40 });
    verdicts = [];
    receiver = await startReceiver((delivery) => {
      const headers = Object.fromEntries(Object.entries(delivery.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));
      const verdict = source.live!.webhook!.verify({ headers, rawBody: delivery.raw, now: Date.now() });
      verdicts.push(verdict);
      return verdict.ok ? 202 : 401;
    });
    // As an operator: register through the API, then copy the secret it answers into the source config.
    const { secret } = await register(sim, `${receiver.url}/webhooks/cw`, ['conversation_created', 'conversation_updated', 'conversation_status_changed', 'message_created', 'message_updated', 'conversation_typing_on']);
    const config = chatwootConfigSchema.parse({ baseUrl: sim.url, accountId: sim.credentials.accountId, token: sim.credentials.token, webhook: { secret } });
    source = chatwootAdapter.createSource('cw', config, { http: new UpstreamClient({ sourceId: 'cw', baseUrl: sim.url, timeoutMs: 2000 }), now: Date.now });
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  const hintedIds = () => new Set(verdicts.flatMap((v) => (v.ok ? v.hints.map((h) => h.conversationId) : [])));

  it('a status change hints that conversation, and re-reading it shows the change', async () => {
    const open = sim.store.conversations.find((c) => c.status === 'open')!;
    await change(sim, 'status', { id: open.displayId, status: 'resolved' });
    await sim.webhooks.settled();
    expect(verdicts.length).toBeGreaterThan(0);
    expect(verdicts.every((v) => v.ok)).toBe(true);
    expect(hintedIds()).toEqual(new Set([String(open.displayId)]));
    const [detail] = await source.getConversations([String(open.displayId)], scope());
    expect(detail?.conversation.status).toBe('CLOSED');
  });

  it('a reply, a note written through the API and a new conversation each hint their conversation; typing hints nothing', async () => {
    const [a, b] = sim.store.conversations.filter((c) => c.status === 'open');
    await change(sim, 'reply', { id: a!.displayId, from: 'contact' });
    await call(sim, 'POST', `conversations/${b!.displayId}/messages`, { content: 'note', private: true });
    const created = await change(sim, 'conversation', {});
    await change(sim, 'typing', { id: a!.displayId });
    await sim.webhooks.settled();
    expect(verdicts.every((v) => v.ok)).toBe(true);
    expect(hintedIds()).toEqual(new Set([String(a!.displayId), String(b!.displayId), String(created.json.id)]));
    expect(verdicts.some((v) => v.ok && v.hints.length === 0)).toBe(true);
  });

  it('a duplicated delivery verifies twice under one delivery id (the door drops the second)', async () => {
    sim.webhooks.setKnobs({ duplicateRate: 1 });
    await change(sim, 'status', { id: sim.store.conversations.find((c) => c.status === 'open')!.displayId, status: 'pending' });
    await sim.webhooks.settled();
    const ids = verdicts.map((v) => (v.ok ? v.deliveryId : 'refused'));
    expect(ids.length).toBe(4);
    expect(new Set(ids).size).toBe(2);
  });

  it('wrong-secret mode is refused as BAD_SIGNATURE; legacy unsigned deliveries as UNSIGNED', async () => {
    const open = sim.store.conversations.filter((c) => c.status === 'open');
    sim.webhooks.setKnobs({ signing: 'wrong-secret' });
    await change(sim, 'status', { id: open[0]!.displayId, status: 'resolved' });
    await sim.webhooks.settled();
    sim.webhooks.setKnobs({ signing: 'unsigned' });
    await change(sim, 'status', { id: open[1]!.displayId, status: 'resolved' });
    await sim.webhooks.settled();
    expect(verdicts).toEqual([
      { ok: false, reason: 'BAD_SIGNATURE' },
      { ok: false, reason: 'BAD_SIGNATURE' },
      { ok: false, reason: 'UNSIGNED' },
      { ok: false, reason: 'UNSIGNED' },
    ]);
    expect(receiver.received.length).toBe(4);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceClient } from '../../src/providers/adapter.js';
import type { WebhookDelivery, WebhookVerdict } from '../../src/providers/live-contract.js';
import { EVENTS_SUBSCRIPTION, KEY_ALL, startLiveGateway, subscribeSse, type LiveGateway } from './helpers.js';

/**
 * `POST /webhooks/<sourceId>` with a fake `verify` on the Chatwoot source: the door's own
 * behaviour (routing, body limit, refusal, de-duplication, admission), independent of any
 * provider's signature scheme.
 */

let gw: LiveGateway;
let nativeId: string;
const verdicts: WebhookVerdict[] = [];
const seen: WebhookDelivery[] = [];

beforeAll(async () => {
  gw = await startLiveGateway({
    live: { sweepSeconds: 3600 },
    limits: { webhookBytes: 2048 },
    metrics: { port: 0 },
    admission: { concurrent: 1, queue: 0, adaptive: false },
  });
  const sources = gw.parley.gateway.sources as Map<string, SourceClient>;
  const cw = sources.get('cw')!;
  const verify = (delivery: WebhookDelivery) => {
    seen.push(delivery);
    return verdicts.shift() ?? { ok: false as const, reason: 'MALFORMED' as const };
  };
  sources.set('cw', Object.create(cw, { live: { value: { webhook: { verify } } } }) as SourceClient);
  const [first] = gw.sandbox.chatwoot.store.conversations;
  nativeId = String(first!.displayId);
});
afterAll(() => gw.close());

const deliver = (sourceId: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(`${gw.origin}/webhooks/${sourceId}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) });

async function metric(name: string): Promise<string[]> {
  const text = await gw.parley.gateway.metrics!.registry.metrics();
  return text.split('\n').filter((line) => line.startsWith(name));
}

describe('the webhook door', () => {
  it('answers 404 for an unknown source and for a source that takes no webhooks', async () => {
    expect((await deliver('nope', '{}')).status).toBe(404);
    expect((await deliver('rz', '{}')).status).toBe(404);
  });

  it('answers HEAD on a served path with an empty 200 (a provider checking the URL) and other methods with 405', async () => {
    const head = await fetch(`${gw.origin}/webhooks/cw`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, '0', '']);
    expect((await fetch(`${gw.origin}/webhooks/nope`, { method: 'HEAD' })).status).toBe(404);
    const get = await fetch(`${gw.origin}/webhooks/cw`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'HEAD, POST']);
    expect(seen).toHaveLength(0);
  });

  it('answers 413 past `limits.webhookBytes`, without verifying', async () => {
    const before = seen.length;
    const response = await deliver('cw', Buffer.alloc(4096, 'x'));
    expect(response.status).toBe(413);
    expect(seen.length).toBe(before);
  });

  it('answers 401 when the source refuses the delivery, counts it by reason, and reads nothing upstream', async () => {
    gw.sandbox.chatwoot.resetRequests();
    verdicts.push({ ok: false, reason: 'BAD_SIGNATURE' });
    const response = await deliver('cw', '{"forged":true}', { 'x-signature': 'nope' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('WEBHOOK_REFUSED');
    expect(seen.at(-1)!.rawBody.toString()).toBe('{"forged":true}');
    expect(seen.at(-1)!.headers['x-signature']).toBe('nope');
    expect(await metric('parley_live_webhooks_total{source="cw",outcome="BAD_SIGNATURE"}')).toEqual([
      'parley_live_webhooks_total{source="cw",outcome="BAD_SIGNATURE"} 1',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gw.sandbox.chatwoot.requests()).toEqual([]);
  });

  it('processes a delivery id once: a repeat is answered 200 and reads nothing', async () => {
    gw.sandbox.chatwoot.resetRequests();
    const delivery: WebhookVerdict = { ok: true, deliveryId: 'd-1', hints: [{ conversationId: nativeId }] };
    verdicts.push(delivery, delivery);
    const first = await deliver('cw', '{}');
    expect(first.status).toBe(202);
    const again = await deliver('cw', '{}');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ duplicate: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const reads = gw.sandbox.chatwoot.requests().filter((r) => r.path.endsWith(`/conversations/${nativeId}`));
    expect(reads).toHaveLength(1);
    expect(await metric('parley_live_webhooks_total{source="cw",outcome="duplicate"}')).toEqual(['parley_live_webhooks_total{source="cw",outcome="duplicate"} 1']);
  });

  it('accepts webhooks while GraphQL admission is full', async () => {
    await fetch(`${gw.sandbox.chatwoot.url}/__sandbox/latency`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fixedMs: 1500 }) });
    const query = () =>
      fetch(`${gw.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY_ALL}` },
        body: JSON.stringify({ query: '{ conversations(first: 1, filter: { sources: ["cw"] }) { edges { node { id } } } }' }),
      });
    const slow = query();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await query();
    expect(refused.status).toBe(503);
    verdicts.push({ ok: true, deliveryId: 'd-2', hints: [] });
    expect((await deliver('cw', '{}')).status).toBe(202);
    await slow;
    await fetch(`${gw.sandbox.chatwoot.url}/__sandbox/latency`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fixedMs: 0 }) });
  });

  it('open subscriptions hold no GraphQL slot: with one slot and no queue, queries still run', async () => {
    // One after another: each takes the one slot while it is set up, and gives it back once its stream starts.
    const subs = [];
    for (let i = 0; i < 3; i += 1) subs.push(await subscribeSse(gw.origin, KEY_ALL, EVENTS_SUBSCRIPTION));
    expect(subs.map((sub) => sub.status)).toEqual([200, 200, 200]);
    const answer = await fetch(`${gw.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY_ALL}` },
      body: JSON.stringify({ query: '{ conversations(first: 1, filter: { sources: ["cw"] }) { edges { node { id } } } }' }),
    });
    expect(answer.status).toBe(200);
    for (const sub of subs) sub.close();
  });
});

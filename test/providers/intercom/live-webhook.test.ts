import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redactorFor } from '../../../src/auth/secrets.js';
import { UpstreamClient } from '../../../src/http/upstream-client.js';
import { intercomAdapter, intercomProvider } from '../../../src/providers/intercom/index.js';
import { verifyIntercomDelivery } from '../../../src/providers/intercom/webhook-verify.js';
import type { WebhookDelivery } from '../../../src/providers/live-contract.js';

const SECRET = '6d0c4e2a-91b7-4f35-a8e2-3c5f7b9d1e04';
const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
const NOTIFICATION = 'notif_2b9e4c1a-7d3f-4e8b-9a6c-5f0e1d2c3b4a';

const conversation = (overrides: Record<string, unknown> = {}) => ({
  type: 'conversation',
  id: '215471032451029',
  created_at: 1772360000,
  updated_at: 1772366395,
  state: 'open',
  open: true,
  conversation_parts: { type: 'conversation_part.list', conversation_parts: [], total_count: 0 },
  ...overrides,
});

/** The envelope of docs/providers/intercom.md section 10. */
const notification = (topic: string, item: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
  type: 'notification_event',
  app_id: 'k3x9q2mz',
  data: { type: 'notification_event_data', item },
  links: {},
  id: NOTIFICATION,
  topic,
  delivery_status: 'pending',
  delivery_attempts: 1,
  delivered_at: 0,
  first_sent_at: 1772366396,
  created_at: 1772366395,
  ...overrides,
});

/** Signed as Intercom signs, with node's HMAC-SHA1 over the exact bytes. */
function signed(body: unknown, options: { secret?: string; raw?: string; header?: string } = {}): WebhookDelivery {
  const raw = Buffer.from(options.raw ?? JSON.stringify(body));
  const signature = `sha1=${createHmac('sha1', options.secret ?? SECRET).update(raw).digest('hex')}`;
  return { headers: { 'content-type': 'application/json', 'x-hub-signature': options.header ?? signature }, rawBody: raw, now: NOW };
}
const unsigned = (body: unknown): WebhookDelivery => ({ headers: { 'content-type': 'application/json' }, rawBody: Buffer.from(JSON.stringify(body)), now: NOW });
const verify = (delivery: WebhookDelivery, settings: { secret?: string; allowUnsigned?: boolean } = { secret: SECRET }) => verifyIntercomDelivery(settings, delivery);

describe('Intercom webhook verification: hints', () => {
  it('a signed conversation notification is one hint: the item id, versioned by updated_at in epoch ms; the delivery id is the notification id', () => {
    expect(verify(signed(notification('conversation.user.replied', conversation())))).toEqual({
      ok: true,
      deliveryId: NOTIFICATION,
      hints: [{ conversationId: '215471032451029', version: 1772366395000 }],
    });
  });

  it('every conversation topic, the tag topic included, hints the conversation its item is', () => {
    for (const topic of ['conversation.user.created', 'conversation.admin.replied', 'conversation.admin.noted', 'conversation.admin.assigned', 'conversation.admin.closed', 'conversation.admin.opened', 'conversation.admin.snoozed', 'conversation.admin.unsnoozed', 'conversation_part.tag.created', 'conversation.read']) {
      expect(verify(signed(notification(topic, conversation({ id: '77' }))))).toEqual({ ok: true, deliveryId: NOTIFICATION, hints: [{ conversationId: '77', version: 1772366395000 }] });
    }
  });

  it('takes a numeric item id as its decimal text, and no version when updated_at is absent', () => {
    expect(verify(signed(notification('conversation.admin.closed', conversation({ id: 42, updated_at: undefined }))))).toMatchObject({ ok: true, hints: [{ conversationId: '42' }] });
  });

  it('a ping, and notifications about other objects, verify but hint nothing', () => {
    for (const body of [
      notification('ping', { type: 'ping', message: 'hello' }),
      notification('contact.user.created', { type: 'contact', id: '65f1c2' }),
      notification('ticket.created', { type: 'ticket', id: '9' }),
      notification('admin.logged_in', { type: 'admin', id: '991' }),
    ]) {
      expect(verify(signed(body))).toEqual({ ok: true, deliveryId: NOTIFICATION, hints: [] });
    }
  });

  it('the retry of a notification verifies under the same delivery id', () => {
    const retry = notification('conversation.user.replied', conversation(), { delivery_attempts: 2 });
    expect(verify(signed(retry))).toMatchObject({ ok: true, deliveryId: NOTIFICATION });
  });
});

describe('Intercom webhook verification: refusals', () => {
  const body = notification('conversation.user.replied', conversation());

  it('refuses a signature made with another secret, or over another body', () => {
    expect(verify(signed(body, { secret: 'another-app-secret' }))).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    const good = signed(body);
    const forged = Buffer.from(JSON.stringify(notification('conversation.user.replied', conversation({ id: '1' }))));
    expect(verify({ ...good, rawBody: forged })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('checks the raw bytes: the same JSON with other whitespace does not verify', () => {
    const good = signed(body);
    expect(verify({ ...good, rawBody: Buffer.from(JSON.stringify(body, null, 1)) })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('refuses malformed signature headers', () => {
    const hex = createHmac('sha1', SECRET).update(JSON.stringify(body)).digest('hex');
    for (const header of [hex, `sha256=${hex}`, `sha1=${hex.slice(0, 39)}`, `sha1=${hex}00`, `sha1=${'z'.repeat(40)}`, '', 'sha1=']) {
      expect(verify(signed(body, { header }))).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    }
    // Case and surrounding spaces do not matter to the hex digest.
    expect(verify(signed(body, { header: ` sha1=${hex.toUpperCase()} ` }))).toMatchObject({ ok: true });
  });

  it("refuses bodies that are not Intercom's notification shape", () => {
    for (const raw of [
      '{"type": "notification_event", "id": ',
      JSON.stringify({ ...body, type: 'event' }),
      JSON.stringify({ ...body, id: undefined }),
      JSON.stringify({ ...body, id: 'has spaces in it' }),
      JSON.stringify({ ...body, topic: undefined }),
      JSON.stringify({ ...body, data: undefined }),
      JSON.stringify(notification('conversation.user.replied', conversation({ id: undefined }))),
      JSON.stringify(notification('conversation.user.replied', conversation({ id: 'abc' }))),
      'null',
    ]) {
      expect(verify(signed(null, { raw }))).toEqual({ ok: false, reason: 'MALFORMED' });
    }
  });

  it('refuses unsigned deliveries unless the source allows them; then they are named by their notification id', () => {
    expect(verify(unsigned(body))).toEqual({ ok: false, reason: 'UNSIGNED' });
    expect(verify(unsigned(body), { allowUnsigned: true })).toEqual({ ok: true, deliveryId: NOTIFICATION, hints: [{ conversationId: '215471032451029', version: 1772366395000 }] });
  });

  it('with allowUnsigned, a signed delivery is still checked', () => {
    expect(verify(signed(body, { secret: 'forged' }), { secret: SECRET, allowUnsigned: true })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verify(signed(body), { allowUnsigned: true })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });
});

describe('Intercom webhook config', () => {
  const base = { baseUrl: 'https://api.intercom.io', token: 'dG9rOjExMTExMTExMTE=' };
  const schema = intercomProvider.configSchema;

  it('takes a secret, or allowUnsigned, and nothing else', () => {
    expect(schema.safeParse({ ...base, webhook: { secret: SECRET } }).success).toBe(true);
    expect(schema.safeParse({ ...base, webhook: { allowUnsigned: true } }).success).toBe(true);
    const missing = schema.safeParse({ ...base, webhook: {} });
    expect(missing.error?.issues.map((issue) => issue.message)).toEqual(['webhook.secret is required unless webhook.allowUnsigned is true']);
    expect(schema.safeParse({ ...base, webhook: { secret: SECRET, extra: 1 } }).success).toBe(false);
  });

  it('a source has a webhook check only when its config names a webhook', () => {
    const http = new UpstreamClient({ sourceId: 'ic', baseUrl: base.baseUrl, timeoutMs: 1000 });
    expect(intercomAdapter.createSource('ic', schema.parse(base), { http, now: Date.now }).live).toBeUndefined();
    const live = intercomAdapter.createSource('ic', schema.parse({ ...base, webhook: { secret: SECRET } }), { http, now: Date.now }).live;
    expect(live?.webhook?.verify(signed(notification('conversation.user.replied', conversation())))).toMatchObject({ ok: true });
    expect(live?.webhook?.verify(signed(notification('conversation.user.replied', conversation()), { secret: 'x' }))).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('the client secret is redacted like the token', () => {
    const settings = schema.parse({ ...base, webhook: { secret: SECRET } });
    const redactor = redactorFor({ cursorSecret: 'cursor-secret-0000', metrics: false, sources: [{ id: 'ic', provider: 'intercom', settings }] });
    expect(redactor.text(`signed with ${SECRET}`)).toBe('signed with [REDACTED]');
  });
});

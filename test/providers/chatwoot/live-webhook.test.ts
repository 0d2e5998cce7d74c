import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../../src/http/upstream-client.js';
import { chatwootAdapter, chatwootConfigSchema } from '../../../src/providers/chatwoot/index.js';
import { verifyChatwootDelivery } from '../../../src/providers/chatwoot/webhook-verify.js';
import type { WebhookDelivery } from '../../../src/providers/live-contract.js';
import { redactorFor } from '../../../src/auth/secrets.js';

const SECRET = 'Xy7pQ2mRt9kLw3vNb8cD4fGh';
const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
const TS = String(NOW / 1000);
const DELIVERY = '3b0f8c52-6f5e-4a57-9d1e-2d0c7b9e1a44';

const conversationBody = (overrides: Record<string, unknown> = {}) => ({
  event: 'conversation_updated',
  id: 42,
  inbox_id: 3,
  status: 'resolved',
  last_activity_at: 1772366390,
  updated_at: 1772366395.123456,
  changed_attributes: [{ status: { previous_value: 'open', current_value: 'resolved' } }],
  ...overrides,
});

/** Signed as Chatwoot signs, with node's HMAC. */
function signed(body: unknown, options: { secret?: string; ts?: string; delivery?: string | null; raw?: string } = {}): WebhookDelivery {
  const raw = Buffer.from(options.raw ?? JSON.stringify(body));
  const ts = options.ts ?? TS;
  const signature = createHmac('sha256', options.secret ?? SECRET).update(`${ts}.`).update(raw).digest('hex');
  return {
    headers: {
      'content-type': 'application/json',
      'x-chatwoot-signature': `sha256=${signature}`,
      'x-chatwoot-timestamp': ts,
      ...(options.delivery === null ? {} : { 'x-chatwoot-delivery': options.delivery ?? DELIVERY }),
    },
    rawBody: raw,
    now: NOW,
  };
}

const unsigned = (body: unknown): WebhookDelivery => ({ headers: { 'content-type': 'application/json' }, rawBody: Buffer.from(JSON.stringify(body)), now: NOW });
const verify = (delivery: WebhookDelivery, settings: { secret?: string; allowUnsigned?: boolean } = { secret: SECRET }) => verifyChatwootDelivery(settings, delivery);

describe('Chatwoot webhook verification: hints', () => {
  it('a signed conversation event is one hint: the display id, versioned by updated_at in epoch ms', () => {
    expect(verify(signed(conversationBody()))).toEqual({ ok: true, deliveryId: DELIVERY, hints: [{ conversationId: '42', version: 1772366395123 }] });
  });

  it('falls back to last_activity_at for the version, and to no version', () => {
    expect(verify(signed(conversationBody({ updated_at: undefined })))).toMatchObject({ hints: [{ conversationId: '42', version: 1772366390000 }] });
    expect(verify(signed(conversationBody({ updated_at: undefined, last_activity_at: undefined })))).toMatchObject({ hints: [{ conversationId: '42' }] });
  });

  it('created and status events hint the same way', () => {
    for (const event of ['conversation_created', 'conversation_status_changed']) {
      expect(verify(signed(conversationBody({ event })))).toMatchObject({ ok: true, hints: [{ conversationId: '42' }] });
    }
  });

  it('a message event hints its conversation, not the message', () => {
    const body = { event: 'message_created', id: 9001, message_type: 'incoming', created_at: '2026-03-01T11:59:50.000Z', conversation: conversationBody({ event: undefined, id: 7 }) };
    expect(verify(signed(body))).toEqual({ ok: true, deliveryId: DELIVERY, hints: [{ conversationId: '7', version: 1772366395123 }] });
    expect(verify(signed({ ...body, event: 'message_updated' }))).toMatchObject({ hints: [{ conversationId: '7' }] });
  });

  it('contact, inbox, typing and widget events verify but hint nothing', () => {
    for (const body of [
      { event: 'contact_created', id: 5, name: 'Ana' },
      { event: 'inbox_updated', id: 2, changed_attributes: [] },
      { event: 'conversation_typing_on', user: { id: 1 }, conversation: conversationBody({ event: undefined }), is_private: false },
      { event: 'webwidget_triggered', id: 12 },
      { event: 'something_new', id: 1 },
    ]) {
      expect(verify(signed(body))).toEqual({ ok: true, deliveryId: DELIVERY, hints: [] });
    }
  });
});

describe('Chatwoot webhook verification: refusals', () => {
  it('refuses a signature made with another secret, or over another body', () => {
    expect(verify(signed(conversationBody(), { secret: 'not-the-secret' }))).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    const tampered = signed(conversationBody());
    expect(verify({ ...tampered, rawBody: Buffer.from(JSON.stringify(conversationBody({ id: 43 }))) })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('refuses a signature bound to another timestamp (a fresh timestamp on an old signature)', () => {
    const old = signed(conversationBody(), { ts: String(NOW / 1000 - 10) });
    expect(verify({ ...old, headers: { ...old.headers, 'x-chatwoot-timestamp': TS } })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('refuses malformed signing headers', () => {
    const good = signed(conversationBody());
    for (const headers of [
      { ...good.headers, 'x-chatwoot-signature': good.headers['x-chatwoot-signature']!.slice(7) },
      { ...good.headers, 'x-chatwoot-signature': 'sha1=abc' },
      { ...good.headers, 'x-chatwoot-timestamp': undefined },
      { ...good.headers, 'x-chatwoot-timestamp': 'yesterday' },
      { ...good.headers, 'x-chatwoot-signature': undefined },
    ]) {
      expect(verify({ ...good, headers })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    }
  });

  it('refuses timestamps more than 300 s away, past or future', () => {
    expect(verify(signed(conversationBody(), { ts: String(NOW / 1000 - 301) }))).toEqual({ ok: false, reason: 'STALE' });
    expect(verify(signed(conversationBody(), { ts: String(NOW / 1000 + 301) }))).toEqual({ ok: false, reason: 'STALE' });
    expect(verify(signed(conversationBody(), { ts: String(NOW / 1000 - 299) }))).toMatchObject({ ok: true });
    expect(verify(signed(conversationBody(), { ts: String(NOW / 1000 + 299) }))).toMatchObject({ ok: true });
  });

  it('refuses a signed delivery without a delivery id', () => {
    expect(verify(signed(conversationBody(), { delivery: null }))).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it("refuses bodies that are not Chatwoot's shape", () => {
    expect(verify(signed(null, { raw: '{"event": "conversation_updated", "id": ' }))).toEqual({ ok: false, reason: 'MALFORMED' });
    expect(verify(signed({ id: 42 }))).toEqual({ ok: false, reason: 'MALFORMED' });
    expect(verify(signed(conversationBody({ id: 'abc' })))).toEqual({ ok: false, reason: 'MALFORMED' });
    expect(verify(signed(conversationBody({ id: undefined })))).toEqual({ ok: false, reason: 'MALFORMED' });
    expect(verify(signed({ event: 'message_created', id: 9001 }))).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it('refuses unsigned deliveries unless the source allows them', () => {
    expect(verify(unsigned(conversationBody()))).toEqual({ ok: false, reason: 'UNSIGNED' });
  });

  it('with allowUnsigned, an unsigned delivery is named by a hash of its body', () => {
    const body = conversationBody();
    const expected = `body-sha256:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
    expect(verify(unsigned(body), { allowUnsigned: true })).toEqual({ ok: true, deliveryId: expected, hints: [{ conversationId: '42', version: 1772366395123 }] });
    expect(verify(unsigned(conversationBody({ status: 'open' })), { allowUnsigned: true })).toMatchObject({ ok: true, deliveryId: expect.not.stringMatching(expected) });
  });

  it('with allowUnsigned, a signed delivery is still checked', () => {
    expect(verify(signed(conversationBody(), { secret: 'forged' }), { secret: SECRET, allowUnsigned: true })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verify(signed(conversationBody()), { allowUnsigned: true })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });
});

describe('Chatwoot webhook config', () => {
  const base = { baseUrl: 'https://chat.example.com', accountId: 1, token: 'cw-token-123456' };

  it('takes a secret, or allowUnsigned, and nothing else', () => {
    expect(chatwootConfigSchema.safeParse({ ...base, webhook: { secret: SECRET } }).success).toBe(true);
    expect(chatwootConfigSchema.safeParse({ ...base, webhook: { allowUnsigned: true } }).success).toBe(true);
    const missing = chatwootConfigSchema.safeParse({ ...base, webhook: {} });
    expect(missing.error?.issues.map((issue) => issue.message)).toEqual(['webhook.secret is required unless webhook.allowUnsigned is true']);
    expect(chatwootConfigSchema.safeParse({ ...base, webhook: { secret: SECRET, extra: 1 } }).success).toBe(false);
  });

  it('a source has a webhook check only when its config names a webhook', () => {
    const http = new UpstreamClient({ sourceId: 'cw', baseUrl: base.baseUrl, timeoutMs: 1000 });
    expect(chatwootAdapter.createSource('cw', chatwootConfigSchema.parse(base), { http, now: Date.now }).live).toBeUndefined();
    const live = chatwootAdapter.createSource('cw', chatwootConfigSchema.parse({ ...base, webhook: { secret: SECRET } }), { http, now: Date.now }).live;
    expect(live?.webhook?.verify(signed(conversationBody()))).toMatchObject({ ok: true });
  });

  it('the webhook secret is redacted like the token', () => {
    const settings = chatwootConfigSchema.parse({ ...base, webhook: { secret: SECRET } });
    const redactor = redactorFor({ cursorSecret: 'cursor-secret-0000', metrics: false, sources: [{ id: 'cw', provider: 'chatwoot', settings }] });
    expect(redactor.text(`signed with ${SECRET}`)).toBe('signed with [REDACTED]');
  });
});

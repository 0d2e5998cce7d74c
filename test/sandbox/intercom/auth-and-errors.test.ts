import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntercomSimulator } from '../../../src/sandbox/intercom/index.js';
import { ALL, call, NOW, search, startSmall } from './helpers.js';

/** docs/providers/intercom.md sections 2, 6 and 7: bearer auth, the version header, error lists, rate-limit headers. */

let sim: IntercomSimulator;
beforeAll(async () => {
  sim = await startSmall();
});
afterAll(() => sim.close());

describe('authentication and version', () => {
  it.each([
    ['no Authorization header', { authorization: undefined }],
    ['a wrong token', { authorization: 'Bearer not-a-token' }],
    ['the token without the Bearer scheme', { authorization: 'TOKEN' }],
  ])('answers 401 unauthorized for %s', async (_name, headers) => {
    const reply = await call(sim, 'GET', '/admins', undefined, headers.authorization === 'TOKEN' ? { authorization: sim.credentials.token } : headers);
    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({ type: 'error.list', errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }] });
    expect(typeof reply.body.request_id).toBe('string');
  });

  it('serves the bearer token of the workspace', async () => {
    expect((await call(sim, 'GET', '/admins')).status).toBe(200);
  });

  it('shows another workspace\'s token an empty workspace', async () => {
    const other = { authorization: `Bearer ${sim.credentials.otherWorkspaceToken}` };
    const reply = await call(sim, 'POST', '/conversations/search', { query: ALL }, other);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ type: 'conversation.list', conversations: [], total_count: 0 });
    const id = sim.store.conversations[0]!.id;
    expect((await call(sim, 'GET', `/conversations/${id}`, undefined, other)).status).toBe(404);
  });

  it('takes the versions the client names and refuses others', async () => {
    expect((await call(sim, 'GET', '/teams', undefined, { 'intercom-version': '2.11' })).status).toBe(200);
    expect((await call(sim, 'GET', '/teams', undefined, { 'intercom-version': undefined })).status).toBe(200);
    const reply = await call(sim, 'GET', '/teams', undefined, { 'intercom-version': '9.9' });
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].code).toBe('intercom_version_invalid');
  });
});

describe('errors', () => {
  it('answers an unknown conversation 404 not_found', async () => {
    const reply = await call(sim, 'GET', '/conversations/999999999');
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ type: 'error.list', errors: [{ code: 'not_found', message: 'Resource Not Found' }] });
  });

  it('answers injected server errors as error lists', async () => {
    sim.addFault({ kind: 'error', status: 503, count: 1 });
    const reply = await search(sim, ALL);
    expect(reply.status).toBe(503);
    expect(reply.body).toMatchObject({ type: 'error.list', errors: [{ code: 'service_unavailable' }] });
  });
});

describe('rate limits', () => {
  it('puts X-RateLimit-* on every answer, counting down within the window', async () => {
    const first = await call(sim, 'GET', '/tags');
    const second = await call(sim, 'GET', '/tags');
    expect(first.headers.get('x-ratelimit-limit')).toBe('1666');
    expect(Number(second.headers.get('x-ratelimit-remaining'))).toBe(Number(first.headers.get('x-ratelimit-remaining')) - 1);
    // A unix second at the end of the current 10-second window of the simulator's clock.
    const reset = Number(first.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThan(NOW / 1000);
    expect(reset).toBeLessThanOrEqual(NOW / 1000 + 10);
  });

  it('refuses with 429 rate_limit_exceeded once an enforced budget is spent', async () => {
    const limited = await startSmall({ rateLimit: { limit: 2, windowSeconds: 3600, enforce: true } });
    try {
      expect((await call(limited, 'GET', '/tags')).status).toBe(200);
      expect((await call(limited, 'GET', '/tags')).status).toBe(200);
      const refused = await call(limited, 'GET', '/tags');
      expect(refused.status).toBe(429);
      expect(refused.body.errors[0].code).toBe('rate_limit_exceeded');
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    } finally {
      await limited.close();
    }
  });

  it('sends Retry-After on an injected 429 only under the retryAfterHeader reading', async () => {
    sim.addFault({ kind: 'rateLimit', retryAfter: 7, count: 1 });
    const plain = await call(sim, 'GET', '/tags');
    expect(plain.status).toBe(429);
    expect(plain.headers.get('retry-after')).toBeNull();
    expect(Number(plain.headers.get('x-ratelimit-reset'))).toBe(Math.ceil(Date.UTC(2025, 4, 20, 12, 0, 7) / 1000));
    sim.setReadings({ retryAfterHeader: true });
    sim.addFault({ kind: 'rateLimit', retryAfter: 7, count: 1 });
    expect((await call(sim, 'GET', '/tags')).headers.get('retry-after')).toBe('7');
    sim.setReadings({ retryAfterHeader: false });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CarrotquestSimulator } from '../../../src/sandbox/carrotquest/index.js';
import { errorEnvelope, expectedIds, get, startSmall } from './helpers.js';

let sim: CarrotquestSimulator;
beforeAll(async () => {
  sim = await startSmall();
});
afterAll(() => sim.close());

const LIST = '/apps/$self_app/conversations';

describe('auth (providers.md 1.1)', () => {
  it.each(['token', 'bearer', 'param'] as const)('accepts the token as %s', async (auth) => {
    const reply = await get(sim, LIST, { paginate_count: 5 }, auth);
    expect(reply.status).toBe(200);
    expect(reply.body.data.map((c: { id: string }) => c.id)).toEqual(expectedIds(sim).slice(0, 5));
  });

  it('accepts the header scheme in any case', async () => {
    const reply = await get(sim, LIST, { paginate_count: 1 }, { header: `token ${sim.credentials.token}` });
    expect(reply.status).toBe(200);
  });

  it('answers a missing token with 401 AuthenticationFailed in the envelope', async () => {
    const reply = await get(sim, LIST, {}, 'none');
    expect(reply.status).toBe(401);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.body).toEqual(errorEnvelope(401, 'AuthenticationFailed', 'Authentication credentials were not provided.'));
  });

  it.each([
    ['a wrong header token', { header: 'Token app.3517.nope' }],
    ['a wrong Bearer token', { header: 'Bearer app.3517.nope' }],
    ['a wrong auth_token', { param: 'nope' }],
  ] as const)('answers %s with 401 AuthenticationFailed', async (_name, auth) => {
    const reply = await get(sim, LIST, {}, auth);
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual(errorEnvelope(401, 'AuthenticationFailed', 'Incorrect authentication credentials.'));
  });

  it('does not take a Basic header as a token', async () => {
    const reply = await get(sim, LIST, {}, { header: `Basic ${sim.credentials.token}` });
    expect(reply.status).toBe(401);
    expect(reply.body.meta.error_message).toBe('Authentication credentials were not provided.');
  });

  it('checks auth before parameters: a bad count without a token is 401', async () => {
    const reply = await get(sim, LIST, { paginate_count: 0 }, 'none');
    expect(reply.status).toBe(401);
  });
});

describe('apps and permissions', () => {
  it('serves the app by its id and by $self_app (also URL-encoded)', async () => {
    const byId = await get(sim, `/apps/${sim.credentials.appId}/conversations`, { paginate_count: 3 });
    const bySelf = await get(sim, '/apps/%24self_app/conversations', { paginate_count: 3 });
    expect(byId.status).toBe(200);
    expect(bySelf.text).toBe(byId.text);
  });

  it('answers another numeric app with 403 PermissionDenied', async () => {
    const reply = await get(sim, `/apps/${sim.otherAppId}/conversations`);
    expect(reply.status).toBe(403);
    expect(reply.body).toEqual(errorEnvelope(403, 'PermissionDenied', 'You do not have permission to perform this action.'));
  });

  it('answers an app segment that is no id with 404 NotFound', async () => {
    const reply = await get(sim, '/apps/nope/conversations');
    expect(reply).toMatchObject({ status: 404, body: errorEnvelope(404, 'NotFound', 'Not found.') });
  });

  it("gives the other app's token its own empty app", async () => {
    const other = { header: `Token ${sim.credentials.otherAppToken}` };
    const list = await get(sim, LIST, {}, other);
    expect(list.body).toEqual({ meta: { next_before_position: null, status: 200 }, data: [] });
    const channels = await get(sim, `/apps/${sim.otherAppId}/channels`, {}, other);
    expect(channels.body).toEqual({ meta: { status: 200 }, data: [] });
  });

  it("answers this app's records to the other app's token with 403", async () => {
    const other = { header: `Token ${sim.credentials.otherAppToken}` };
    const conversation = sim.store.conversations[0]!;
    for (const path of [`/conversations/${conversation.id}`, `/conversations/${conversation.id}/parts`, `/users/${conversation.userId}`]) {
      const reply = await get(sim, path, {}, other);
      expect(reply.status, path).toBe(403);
      expect(reply.body.meta.error).toBe('PermissionDenied');
    }
    expect((await get(sim, `/apps/${sim.credentials.appId}/conversations`, {}, other)).status).toBe(403);
  });
});

describe('envelope, versions and methods', () => {
  it('puts meta.status equal to the HTTP status on success', async () => {
    const reply = await get(sim, LIST, { paginate_count: 2 });
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body)).toEqual(['meta', 'data']);
    expect(reply.body.meta.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('uses v2 by default, v1 with the /v1 prefix or version=1, v2 with /v2 or version=2', async () => {
    const v2 = (await get(sim, LIST, { paginate_count: 2 })).body.meta;
    expect(Object.keys(v2)).toEqual(['next_before_position', 'status']);
    for (const reply of [await get(sim, `/v1${LIST}`, { count: 2 }), await get(sim, LIST, { count: 2, version: 1 })]) {
      expect(Object.keys(reply.body.meta)).toEqual(['next_after', 'status']);
    }
    expect((await get(sim, `/v2${LIST}`, { paginate_count: 2 })).body.meta).toEqual(v2);
    expect((await get(sim, LIST, { paginate_count: 2, version: 2 })).body.meta).toEqual(v2);
  });

  it('lets the path prefix win over the version parameter', async () => {
    const reply = await get(sim, `/v1${LIST}`, { count: 2, version: 2 });
    expect(Object.keys(reply.body.meta)).toEqual(['next_after', 'status']);
  });

  it('rejects an unknown version with 400 BadRequest', async () => {
    const reply = await get(sim, LIST, { version: 3 });
    expect(reply).toMatchObject({ status: 400, body: errorEnvelope(400, 'BadRequest', 'version: must be 1 or 2') });
  });

  it('reads parameters from a POST body as well (GET or POST, providers.md 1.1)', async () => {
    const response = await fetch(`${sim.url}${LIST}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ auth_token: sim.credentials.token, paginate_count: '4', id_as_string: 'true' }).toString(),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Array<{ id: string }> };
    expect(body.data.map((c) => c.id)).toEqual(expectedIds(sim).slice(0, 4));
  });

  it('answers other methods with 405 MethodNotAllowed', async () => {
    const reply = await get(sim, LIST, {}, 'token', { method: 'DELETE' });
    expect(reply).toMatchObject({ status: 405, body: errorEnvelope(405, 'MethodNotAllowed', 'Method "DELETE" not allowed.') });
  });

  it('answers an unknown path with 404 NotFound in the envelope', async () => {
    const reply = await get(sim, '/apps/$self_app/nothing');
    expect(reply).toMatchObject({ status: 404, body: errorEnvelope(404, 'NotFound', 'Not found.') });
  });
});

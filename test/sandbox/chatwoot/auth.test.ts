import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatwootSimulator } from '../../../src/sandbox/chatwoot/index.js';
import { get, startSmall, userOf, visibleInboxes } from './helpers.js';

let sim: ChatwootSimulator;
beforeAll(async () => {
  sim = await startSmall();
});
afterAll(() => sim.close());

const READ_PATHS = ['conversations', 'conversations/meta', 'conversations/1', 'conversations/1/messages', 'agents', 'inboxes', 'teams'];

describe('Chatwoot simulator: authentication', () => {
  it('accepts the administrator token in the api_access_token header', async () => {
    const answer = await get(sim, 'conversations');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('accepts the dash spelling and the HTTP_API_ACCESS_TOKEN spelling of the header', async () => {
    for (const name of ['Api-Access-Token', 'HTTP_API_ACCESS_TOKEN']) {
      const answer = await get(sim, 'conversations', null, { [name]: sim.credentials.token });
      expect(answer.status, name).toBe(200);
    }
  });

  it('answers a request without a token (or with a blank one) with devise’s sign-in error', async () => {
    for (const answer of [await get(sim, 'conversations', null), await get(sim, 'conversations', '  ')]) {
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ errors: ['You need to sign in or sign up before continuing.'] });
    }
  });

  it('answers an unknown token with Invalid Access Token', async () => {
    const answer = await get(sim, 'conversations', 'not-a-token');
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ error: 'Invalid Access Token' });
  });

  it('refuses an AgentBot token on every read endpoint', async () => {
    for (const path of [...READ_PATHS, `contacts/${sim.store.contacts[0]!.id}`]) {
      const answer = await get(sim, path, sim.credentials.botToken);
      expect(answer.status, path).toBe(401);
      expect(answer.json, path).toEqual({ error: 'Access to this endpoint is not authorized for bots' });
    }
  });

  it('refuses an account the user is not a member of with 401 and an unknown account with 404', async () => {
    const other = await get(sim, `/api/v1/accounts/${sim.store.otherAccountId}/conversations`);
    expect(other.status).toBe(401);
    expect(other.json).toEqual({ error: 'You are not authorized to access this account' });
    for (const account of ['999', 'abc']) {
      const answer = await get(sim, `/api/v1/accounts/${account}/conversations`);
      expect(answer.status, account).toBe(404);
      expect(answer.json).toEqual({ error: 'Resource could not be found' });
    }
  });

  it('checks the token before the bot allow-list and the bot allow-list before the account', async () => {
    const bad = await get(sim, `/api/v1/accounts/999/conversations`, 'nope');
    expect(bad.json).toEqual({ error: 'Invalid Access Token' });
    const bot = await get(sim, `/api/v1/accounts/${sim.store.otherAccountId}/conversations`, sim.credentials.botToken);
    expect(bot.json).toEqual({ error: 'Access to this endpoint is not authorized for bots' });
  });

  it('lets an agent open conversations of member inboxes only (401, not 403, otherwise)', async () => {
    const agent = userOf(sim, sim.credentials.agentToken);
    expect(agent.role).toBe('agent');
    const member = visibleInboxes(sim, agent);
    expect(member.size).toBeGreaterThan(0);
    expect(member.size).toBeLessThan(sim.store.inboxes.length);
    const inside = sim.store.conversations.find((c) => member.has(c.inboxId))!;
    const outside = sim.store.conversations.find((c) => !member.has(c.inboxId))!;
    expect((await get(sim, `conversations/${inside.displayId}`, sim.credentials.agentToken)).status).toBe(200);
    expect((await get(sim, `conversations/${inside.displayId}/messages`, sim.credentials.agentToken)).status).toBe(200);
    for (const path of [`conversations/${outside.displayId}`, `conversations/${outside.displayId}/messages`]) {
      const answer = await get(sim, path, sim.credentials.agentToken);
      expect(answer.status, path).toBe(401);
      expect(answer.json).toEqual({ error: 'You are not authorized to do this action' });
    }
    // The administrator opens both.
    expect((await get(sim, `conversations/${outside.displayId}`)).status).toBe(200);
  });

  it('answers unknown display ids and contacts with Resource could not be found', async () => {
    const next = sim.store.conversations.length + 1;
    for (const path of [`conversations/${next}`, 'conversations/abc', `conversations/${next}/messages`, 'contacts/1', 'contacts/xyz']) {
      const answer = await get(sim, path);
      expect(answer.status, path).toBe(404);
      expect(answer.json, path).toEqual({ error: 'Resource could not be found' });
    }
  });

  it('answers an unknown route with Rails’ HTML 404 page, before any authentication', async () => {
    const answer = await get(sim, 'conversations/1/nothing-here', null);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(answer.text).toContain("The page you were looking for doesn't exist.");
  });
});

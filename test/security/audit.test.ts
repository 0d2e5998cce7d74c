import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startSecured, type Secured } from './helpers.js';

let sandboxLike: Secured;
let production: Secured;
beforeAll(async () => {
  [sandboxLike, production] = await Promise.all([
    startSecured({ conversations: 4, config: { introspection: true } }),
    startSecured({ conversations: 4 }),
  ]);
});
afterAll(() => Promise.all([sandboxLike.close(), production.close()]));

/** The audits' requests as an authenticated client sends them: with its API key. */
const auditsOf = (server: () => Secured) =>
  serverAudits({
    url: 'http://parley/graphql',
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${KEYS.all}`);
      return server().parley.yoga.fetch(String(input instanceof Request ? input.url : input), { ...init, headers });
    },
  }).filter((audit) => /^(MUST|SHOULD) /.test(audit.name));

/** These two audits query `__type`, which a server with introspection off refuses by design. */
const NEED_INTROSPECTION = new Set(['2EA1', '28B9']);

const outcome = async (audit: ReturnType<typeof auditsOf>[number]) => {
  const result = await audit.fn();
  return result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`;
};

describe('GraphQL over HTTP conformance (graphql-http server audits)', () => {
  it('covers the MUST and SHOULD audits', () => {
    expect(auditsOf(() => sandboxLike).length).toBeGreaterThan(30);
  });

  describe('with introspection on (the sandbox)', () => {
    for (const audit of auditsOf(() => sandboxLike)) {
      it(`${audit.id}: ${audit.name}`, async () => {
        expect(await outcome(audit)).toBe('ok');
      });
    }
  });

  describe('with introspection off (the production default)', () => {
    for (const audit of auditsOf(() => production)) {
      it(`${audit.id}: ${audit.name}`, async () => {
        if (NEED_INTROSPECTION.has(audit.id)) expect(await outcome(audit)).toMatch(/status code is not 200|property "errors"/);
        else expect(await outcome(audit)).toBe('ok');
      });
    }
  });
});

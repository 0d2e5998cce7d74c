import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParley } from '../../src/gateway/app.js';
import { parseConfig } from '../../src/config/schema.js';
import { listen } from '../front/helpers.js';
import { codes, KEYS, startSecured, type Secured } from './helpers.js';

let s: Secured;
beforeAll(async () => {
  s = await startSecured({ conversations: 4 });
});
afterAll(() => s.close());

const fetchRaw = (path: string, init: RequestInit = {}) => s.parley.yoga.fetch(`http://parley${path}`, init);
const QUERY = encodeURIComponent('{ sources { id } }');

describe('CSRF prevention for browser requests', () => {
  it.each([
    ['a GET with no custom header', 'GET', undefined],
    ['a text/plain POST', 'POST', 'text/plain'],
    ['a form POST', 'POST', 'application/x-www-form-urlencoded'],
    ['a multipart POST', 'POST', 'multipart/form-data; boundary=x'],
  ])('refuses %s (what a page on another site can send) with 403', async (_name, method, contentType) => {
    const response = await fetchRaw(method === 'GET' ? `/graphql?query=${QUERY}` : '/graphql', {
      method,
      headers: { accept: 'application/json', ...(contentType ? { 'content-type': contentType } : {}) },
      ...(method === 'POST' ? { body: '{"query":"{ sources { id } }"}' } : {}),
    });
    expect(response.status).toBe(403);
    expect((await response.json()).errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('lets through what only a script allowed by CORS can send: JSON bodies, an Authorization header, the CSRF header', async () => {
    const auth = { authorization: `Bearer ${KEYS.all}`, accept: 'application/json' };
    expect((await fetchRaw(`/graphql?query=${QUERY}`, { headers: auth })).status).toBe(200);
    expect((await fetchRaw(`/graphql?query=${QUERY}`, { headers: { ...auth, 'x-graphql-yoga-csrf': '1' } })).status).toBe(200);
    expect((await s.query('{ sources { id } }')).status).toBe(200);
  });

  it('protects the keyless sandbox too', async () => {
    const open = await startSecured({ conversations: 2, config: { apiKeys: undefined } });
    try {
      const response = await open.parley.yoga.fetch(`http://parley/graphql?query=${QUERY}`, { headers: { accept: 'application/json' } });
      expect(response.status).toBe(403);
    } finally {
      await open.close();
    }
  });
});

describe('errors outside development', () => {
  /** Makes `sources` crash the way a bug would, with internals in the message. */
  async function crash(parley = s.parley) {
    const gateway = parley.gateway as { config: unknown };
    const config = gateway.config;
    Object.defineProperty(gateway, 'config', { configurable: true, get: () => ({ ...(config as object), get sources() { throw new TypeError('cannot read /srv/parley/internal.ts line 42'); } }) });
    try {
      const response = await parley.yoga.fetch('http://parley/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.all}` },
        body: JSON.stringify({ query: '{ sources { id } }' }),
      });
      return { status: response.status, text: await response.text() };
    } finally {
      Object.defineProperty(gateway, 'config', { configurable: true, writable: true, value: config });
    }
  }

  it('masks an unexpected error: no message, no stack, no original error', async () => {
    const { status, text } = await crash();
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual({
      errors: [{ message: 'Unexpected error.', locations: [{ line: 1, column: 3 }], path: ['sources'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      data: null,
    });
    expect(text).not.toMatch(/internal\.ts|TypeError|at .+:\d+:\d+/);
  });

  it('shows the original error to a developer (NODE_ENV=development) only', async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    const dev = createParley(parseConfig({ cursorSecret: 'dev-cursor-secret-0123456789', sources: s.sandbox.sources(), apiKeys: [{ key: KEYS.all, sources: ['cq'] }] }));
    process.env.NODE_ENV = previous;
    try {
      const { text } = await crash(dev);
      expect(text).toContain('cannot read /srv/parley/internal.ts line 42');
    } finally {
      await dev.close();
    }
  });

  it('answers a body that is not JSON with 400 and a code, quoting no parser internals', async () => {
    const response = await s.post('{ "query": ', { authorization: `Bearer ${KEYS.all}`, accept: 'application/json' });
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['BAD_REQUEST']);
    expect(response.body.errors![0]!.extensions).toEqual({ code: 'BAD_REQUEST' });
  });
});

describe('security headers', () => {
  it('puts a strict content security policy and anti-framing headers on GraphiQL', async () => {
    const withPage = await startSecured({ conversations: 2, config: { graphiql: true } });
    const front = await listen(withPage.parley);
    try {
      const response = await fetch(`${front.origin}/graphql`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      // Its scripts are files from this origin: no inline script may run.
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      // The page loads nothing from elsewhere, so the policy costs it nothing.
      const html = await response.text();
      expect([...html.matchAll(/<(?:script|link)[^>]+(?:src|href)=["'](https?:)?\/\//g)]).toEqual([]);
      expect([...html.matchAll(/<script(?![^>]*\b(?:src=|type="application\/json"))[^>]*>/g)]).toEqual([]);
    } finally {
      await front.close();
      await withPage.close();
    }
  });

  it('marks every GraphQL answer uncacheable and not to be sniffed', async () => {
    for (const response of [await s.query('{ sources { id } }'), await s.query('{ sources { id } }', {}, null)]) {
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParley } from '../../src/gateway/app.js';
import { createRedactingLogger, createRedactor, REDACTED, redactorFor, secretsOf } from '../../src/auth/secrets.js';
import { parseConfig } from '../../src/config/schema.js';
import { SIMULATORS } from '../../src/sandbox/registry.js';
import { CURSOR_SECRET, KEYS, globalId, startSecured, type Secured } from './helpers.js';

let s: Secured;
beforeAll(async () => {
  s = await startSecured({ conversations: 4 });
});
afterAll(() => s.close());

/** Every simulated provider's access token. */
const tokens = () => SIMULATORS.map(({ provider }) => s.sandbox[provider].credentials.token);
/** The webhook secrets the sources hold (Chatwoot's and Intercom's in the sandbox). */
const webhookSecrets = () =>
  s.parley.gateway.config.sources.flatMap((source) => {
    const secret = (source.settings as { webhook?: { secret?: string } }).webhook?.secret;
    return secret === undefined ? [] : [secret];
  });

describe('secrets in responses', () => {
  it('strips credentials a provider echoes in a payload from `raw`', async () => {
    const token = s.sandbox.chatwoot.credentials.token;
    const record = s.sandbox.chatwoot.store.conversations[0]!;
    record.customAttributes = { api_access_token: token, nested: [{ pubsub_token: 'pubsub-0123456789abcdef', plan: 'pro' }], echoed: `called with ${token}` };
    record.additionalAttributes = { authorization: `Bearer ${KEYS.all}`, browser: 'Firefox' };
    const response = await s.query('query($id: ID!) { node(id: $id) { ... on Conversation { raw } } }', { id: globalId('Conversation', `cw:${record.displayId}`) });
    const raw = response.body.data.node.raw;
    expect(raw.custom_attributes).toEqual({ nested: [{ plan: 'pro' }], echoed: `called with ${REDACTED}` });
    expect(raw.additional_attributes).toEqual({ browser: 'Firefox' });
    const text = JSON.stringify(response.body);
    for (const secret of [...tokens(), KEYS.all, 'pubsub-0123456789abcdef']) expect(text).not.toContain(secret);
  });

  it('never answers with a configured secret, even one the client sent in its query', async () => {
    for (const secret of [CURSOR_SECRET, ...tokens()]) {
      const response = await s.query('query($f: ConversationFilter) { conversations(first: 1, filter: $f) { edges { cursor } } }', { f: { sources: [secret] } });
      expect(response.body.errors![0]!.message).toBe(`unknown source "${REDACTED}"`);
      const literal = await s.query(`{ conversations(first: "${secret}") { edges { cursor } } }`);
      expect(JSON.stringify(literal.body)).not.toContain(secret);
    }
  });

  it('reports a provider that refuses the credentials without quoting them', async () => {
    const wrong = 'wrong-token-0123456789abcdef';
    const sources = s.sandbox.sources().map((source) => (source.id === 'cw' ? { ...source, token: wrong } : source));
    const parley = createParley(parseConfig({ cursorSecret: CURSOR_SECRET, sources }));
    try {
      const response = await parley.yoga.fetch('http://parley/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ conversations(first: 3) { edges { cursor } sources { source status errorCode reason } } }' }),
      });
      const text = await response.text();
      const body = JSON.parse(text);
      expect(body.data.conversations.sources.find((r: any) => r.source === 'cw')).toMatchObject({ status: 'FAILED', errorCode: 'SOURCE_AUTH_FAILED' });
      expect(body.errors.map((e: any) => e.extensions.code)).toContain('SOURCE_AUTH_FAILED');
      expect(text).not.toContain(wrong);
    } finally {
      await parley.close();
    }
  });
});

describe('the redactor', () => {
  const config = () => s.parley.gateway.config;

  it('knows every provider token, every webhook secret, every API key, the cursor secret and the HTTP Basic form Parley sends', () => {
    const secrets = secretsOf(config());
    const { email, token } = s.sandbox.reamaze.credentials;
    expect(tokens()).toHaveLength(SIMULATORS.length);
    expect(webhookSecrets().length).toBeGreaterThanOrEqual(2);
    for (const secret of [...tokens(), ...webhookSecrets(), ...Object.values(KEYS), CURSOR_SECRET, Buffer.from(`${email}:${token}`).toString('base64')]) {
      expect(secrets).toContain(secret);
    }
  });

  it('replaces secrets in text, longest first', () => {
    const redactor = createRedactor(['abcdefgh', 'abcdefgh-longer']);
    expect(redactor.text('x abcdefgh-longer y abcdefgh z')).toBe(`x ${REDACTED} y ${REDACTED} z`);
    expect(redactor.text('nothing here')).toBe('nothing here');
    // Too short to be a secret: replacing it would garble ordinary text.
    expect(createRedactor(['abc']).text('abc')).toBe('abc');
  });

  it('drops credential-looking keys at any depth of a payload and redacts values', () => {
    const redactor = createRedactor(['s3cr3t-value-1234']);
    const raw = { id: 1, access_token: 'x', user: { API_KEY: 'y', name: 'Ann', notes: ['has s3cr3t-value-1234'] }, items: [{ password: 'p', ok: true }] };
    expect(redactor.raw(raw)).toEqual({ id: 1, user: { name: 'Ann', notes: [`has ${REDACTED}`] }, items: [{ ok: true }] });
  });

  it('redacts every log line, errors and objects included', () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]) => lines.push(args.join(' '));
    const logger = createRedactingLogger(redactorFor(config()), 'debug', { debug: capture, info: capture, warn: capture, error: capture });
    const [token] = tokens();
    logger.error(new Error(`upstream said ${token}`));
    logger.warn('request', { headers: { authorization: `Bearer ${KEYS.cq}` } });
    logger.info(`cursor secret ${CURSOR_SECRET}`);
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).toContain(REDACTED);
      for (const secret of [token!, KEYS.cq, CURSOR_SECRET]) expect(line).not.toContain(secret);
    }
  });
});

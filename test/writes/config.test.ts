import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/schema.js';
import { createGateway } from '../../src/gateway/gateway.js';
import { redactorFor } from '../../src/auth/secrets.js';

const SOURCES = [
  { id: 'cq', provider: 'carrotquest', baseUrl: 'http://127.0.0.1:1', appId: '1', token: 'cq-token-0123456789' },
  { id: 'cw', provider: 'chatwoot', baseUrl: 'http://127.0.0.1:1', accountId: 1, token: 'cw-token-0123456789' },
  { id: 'rz', provider: 'reamaze', baseUrl: 'http://127.0.0.1:1', email: 'me@example.com', token: 'rz-token-0123456789' },
];
const base = { cursorSecret: 'test-cursor-secret-0123456789', sources: SOURCES };
const KEY = 'key-0123456789abcdef';

function problems(config: Record<string, unknown>): readonly string[] {
  try {
    parseConfig({ ...base, ...config });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('write settings in the config', () => {
  it('keys read only unless `write: true`', () => {
    const config = parseConfig({ ...base, apiKeys: [{ key: KEY, sources: ['cq'] }] });
    expect(config.apiKeys![0]!.write).toBe(false);
    expect(config.writes.settleMs).toBe(30_000);
    expect(config.limits.replyChars).toBe(20_000);
  });

  it('checks each identity against its provider, in plain words naming the field', () => {
    expect(problems({ apiKeys: [{ key: KEY, sources: ['cq', 'cw'], write: true, actAs: { cq: { adminId: 'nobody' }, cw: { userId: '7', extra: 1 } } }] })).toEqual([
      'apiKeys[0].actAs.cq.adminId: adminId must be an admin id of the app or "default_admin"',
      'apiKeys[0].actAs.cw.extra: unknown field',
    ]);
    expect(problems({ apiKeys: [{ key: KEY, sources: ['cq'], write: true, actAs: { zz: { adminId: '1' }, rz: { staffEmail: 'a@b.co' } } }] })).toEqual([
      'apiKeys[0].actAs.zz: unknown source "zz"',
      'apiKeys[0].actAs.rz: this key does not read source "rz": add it to `sources` or remove this identity',
    ]);
    expect(problems({ actAs: { rz: {} } })).toEqual(['actAs.rz.staffEmail: required']);
  });

  it('takes a top-level `actAs` only without API keys', () => {
    expect(problems({ apiKeys: [{ key: KEY, sources: ['cq'] }], actAs: { cq: { adminId: '1' } } })).toEqual(['actAs: applies only without `apiKeys`: give each key its own `actAs`']);
    expect(problems({ actAs: { cq: { adminId: 'default_admin' } } })).toEqual([]);
  });

  it('treats the secrets of an identity like source secrets: redacted from logs and text', () => {
    const config = parseConfig({
      ...base,
      apiKeys: [{ key: KEY, sources: ['cw', 'rz'], write: true, actAs: { cw: { userId: '3', apiAccessToken: 'agent-token-abcdef123' }, rz: { staffEmail: 'a@b.co', apiToken: 'staff-token-abcdef123' } } }],
    });
    const redactor = redactorFor(config);
    expect(redactor.text('sent agent-token-abcdef123 and staff-token-abcdef123')).toBe('sent [REDACTED] and [REDACTED]');
    // Re:amaze sends an identity's token as the HTTP Basic pair `staffEmail:apiToken`: that form is redacted too.
    const basic = Buffer.from('a@b.co:staff-token-abcdef123').toString('base64');
    expect(redactor.text(`authorization: Basic ${basic}`)).toBe('authorization: Basic [REDACTED]');
    const lines: string[] = [];
    const gateway = createGateway({ ...config, logLevel: 'info' }, Date.now, {
      logDestination: new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }),
    });
    gateway.logger.info(`an error quoting staff-token-abcdef123 and agent-token-abcdef123`);
    void gateway.close();
    expect(lines.join('')).toContain('[REDACTED]');
    expect(lines.join('')).not.toMatch(/staff-token|agent-token/);
  });

  it('never quotes an identity secret in a config error', () => {
    const text = problems({ apiKeys: [{ key: KEY, sources: ['rz'], write: true, actAs: { rz: { staffEmail: 'not-an-email', apiToken: 42 } } }] }).join('\n');
    expect(text).toContain('apiKeys[0].actAs.rz.staffEmail');
    expect(text).not.toContain('not-an-email');
  });
});

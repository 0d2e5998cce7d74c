import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { secretsOf } from '../../src/auth/secrets.js';
import { parseConfig } from '../../src/config/schema.js';
import { secret, secretFields } from '../../src/providers/declaration.js';

describe('provider declarations', () => {
  it('a secret is the field the schema marks, whatever its name', () => {
    const schema = z.strictObject({ accessTokenUrl: z.string(), signingKey: secret(z.string().min(1)), region: z.string() });
    expect(secretFields(schema)).toEqual(['signingKey']);
    // Marked inside or outside an optional or a default, it is the same secret.
    const optional = z.strictObject({ inner: secret(z.string()).optional(), outer: secret(z.string().optional()), fallback: secret(z.string()).default('x'), plain: z.string().optional() });
    expect(secretFields(optional)).toEqual(['inner', 'outer', 'fallback']);
  });

  it('each provider marks its token, and only the token, as secret', () => {
    const config = parseConfig({
      cursorSecret: 'a-cursor-secret-of-some-length',
      sources: [
        { id: 'a', provider: 'carrotquest', baseUrl: 'https://api.example.com', appId: '123', token: 'token-one-0123456789' },
        { id: 'b', provider: 'chatwoot', baseUrl: 'https://chat.example.com', accountId: 7, token: 'token-two-0123456789' },
        { id: 'c', provider: 'reamaze', baseUrl: 'https://brand.example.com', email: 'someone@example.com', token: 'token-three-0123456789' },
      ],
    });
    expect(secretsOf(config)).toEqual([
      'a-cursor-secret-of-some-length',
      'token-one-0123456789',
      'token-two-0123456789',
      'token-three-0123456789',
      // Re:amaze's HTTP Basic pair, as it travels.
      Buffer.from('someone@example.com:token-three-0123456789').toString('base64'),
    ]);
  });
});

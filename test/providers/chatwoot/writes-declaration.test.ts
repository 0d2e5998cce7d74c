import { describe, expect, it } from 'vitest';
import { secretFields } from '../../../src/providers/declaration.js';
import { chatwootProvider } from '../../../src/providers/chatwoot/index.js';

describe('Chatwoot write declaration', () => {
  it('declares every action Chatwoot has an endpoint for', () => {
    expect([...(chatwootProvider.writes?.actions ?? [])].sort()).toEqual(['ASSIGN', 'CLOSE', 'MARK_READ', 'NOTE', 'OPEN', 'PENDING', 'REPLY', 'SNOOZE', 'TAG', 'UNASSIGN', 'UNTAG']);
  });

  it('acts as an agent id (digits, as a string) with an optional token that is a secret', () => {
    const schema = chatwootProvider.writes!.actAsSchema;
    expect(schema.parse({ userId: 12 })).toEqual({ userId: '12' });
    expect(schema.parse({ userId: '12', apiAccessToken: 't' })).toEqual({ userId: '12', apiAccessToken: 't' });
    expect(schema.safeParse({ userId: 'agent@example.com' }).success).toBe(false);
    expect(schema.safeParse({ userId: '12', token: 't' }).success).toBe(false);
    expect(secretFields(schema)).toEqual(['apiAccessToken']);
  });
});

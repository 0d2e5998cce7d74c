import { describe, expect, it } from 'vitest';
import { secretFields } from '../../../src/providers/declaration.js';
import { intercomProvider } from '../../../src/providers/intercom/index.js';

describe('Intercom write declaration', () => {
  it('declares every action Intercom has an endpoint for, and no PENDING (Intercom has no such state)', () => {
    expect([...(intercomProvider.writes?.actions ?? [])].sort()).toEqual(['ASSIGN', 'CLOSE', 'MARK_READ', 'NOTE', 'OPEN', 'REPLY', 'SNOOZE', 'TAG', 'UNASSIGN', 'UNTAG']);
  });

  it('acts as a teammate id (digits, as a string), with no secret of its own', () => {
    const schema = intercomProvider.writes!.actAsSchema;
    expect(schema.parse({ adminId: '5017100' })).toEqual({ adminId: '5017100' });
    expect(schema.safeParse({ adminId: 5017100 }).success).toBe(false);
    expect(schema.safeParse({ adminId: 'admin@example.com' }).success).toBe(false);
    expect(schema.safeParse({ adminId: '1', token: 't' }).success).toBe(false);
    expect(secretFields(schema)).toEqual([]);
  });
});

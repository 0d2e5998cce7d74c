import { afterEach, describe, expect, it } from 'vitest';
import { INBOX, SOURCE_IDS, startResilienceHarness, type ResilienceHarness } from './harness.js';

/**
 * A bug in Parley's own code while serving a source (a TypeError in a mapper, say) is not
 * the provider's fault: the client gets a coded error for that source that does not blame
 * the provider, and the log gets the stack, at error level, once.
 */

let h: ResilienceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface LogLine {
  level: string;
  msg: string;
  source?: string;
  err?: { type?: string; message?: string; stack?: string };
}

const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as LogLine);

describe('an unexpected error inside an adapter', () => {
  it('fails only its source, with a code that does not blame the provider, and is logged with its stack', async () => {
    const lines: string[] = [];
    h = await startResilienceHarness({ log: { level: 'error', lines } });
    const rz = h.parley.gateway.sources.get('rz')!;
    rz.listConversations = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'slug')");
    };

    const page = await h.query(INBOX, { first: 10 });
    const statuses = page.data.conversations.sources.map((s: { source: string; status: string; errorCode: string | null }) => [s.source, s.status, s.errorCode]);
    expect(statuses).toEqual(SOURCE_IDS.map((id) => (id === 'rz' ? [id, 'FAILED', 'INTERNAL_SERVER_ERROR'] : [id, 'OK', null])));
    expect(page.errors?.map((e) => e.extensions)).toEqual([{ code: 'INTERNAL_SERVER_ERROR', source: 'rz', retryable: false }]);
    expect(page.errors?.[0]?.message).not.toMatch(/provider|slug/);

    const errors = parsed(lines).filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ source: 'rz', err: { type: 'TypeError', message: "Cannot read properties of undefined (reading 'slug')" } });
    expect(errors[0]!.err!.stack).toMatch(/^TypeError: .*\n\s+at /);
  });

  it('in a batched node loader, fails the fields that needed it and is logged once for the batch', async () => {
    const lines: string[] = [];
    h = await startResilienceHarness({ log: { level: 'error', lines } });
    h.parley.gateway.sources.get('cw')!.getUsers = async () => {
      throw new RangeError('bad mapping');
    };
    const user = (id: number) => Buffer.from(`User:cw:${id}`).toString('base64');
    const response = await h.query(`query Users($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } }`, { a: user(1), b: user(2) });
    expect(response.data).toEqual({ a: null, b: null });
    expect(response.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.source])).toEqual([
      [['a'], 'INTERNAL_SERVER_ERROR', 'cw'],
      [['b'], 'INTERNAL_SERVER_ERROR', 'cw'],
    ]);
    const errors = parsed(lines).filter((line) => line.level === 'error');
    expect(errors.map((line) => [line.source, line.err?.type, line.err?.message])).toEqual([['cw', 'RangeError', 'bad mapping']]);
  });
});

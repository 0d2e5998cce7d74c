import { describe, expect, it } from 'vitest';
import { checkFilter, splitOf, useFilterCase } from './filter-check.js';
import { INBOX_QUERY } from './harness.js';
import { unsupportedParts } from './oracle/index.js';
import { SIMULATORS } from '../../src/sandbox/registry.js';

/**
 * `search`: Chatwoot searches natively (`q`: incoming and outgoing message content,
 * case-insensitive); the providers that cannot (the oracle's `unsupported`) are skipped
 * with a FILTER_UNSUPPORTED error entry and never asked.
 */

const ctx = useFilterCase();

describe('search', () => {
  it.each([
    ['a word both sides write', 'refund'],
    ['any case', 'COLOUR'],
    ['a phrase', 'waiting for the courier'],
    ['text of activity rows only, which Chatwoot does not search', 'marked resolved by'],
    ['text nobody wrote', 'zebra crossing'],
  ])('%s: %j', async (_name, search) => {
    const result = await checkFilter(ctx, { search });
    expect(result.reports.cw).toMatchObject({ status: 'OK', pushedDown: ['SEARCH'], appliedLocally: [] });
    expect(result.reports.cq).toMatchObject({ status: 'SKIPPED', unsupported: ['SEARCH'], upstreamCalls: 0 });
    expect(result.reports.rz).toMatchObject({ status: 'SKIPPED', unsupported: ['SEARCH'], upstreamCalls: 0 });
  });

  it('finds conversations for a word both sides write', async () => {
    expect((await checkFilter(ctx, { search: 'refund' })).edges.length).toBeGreaterThan(0);
  });

  it.each([
    ['an underscore', 't_anks'],
    ['a percent sign', 'order%refund'],
    ['a backslash', 'order\\'],
  ])('takes %s literally, not as an ILIKE wildcard', async (_name, search) => {
    await checkFilter(ctx, { search, sources: ['cw'] });
  });

  it('says why each source that cannot search was skipped, and asks none of them', async () => {
    const skipped = SIMULATORS.filter(({ sourceId }) => unsupportedParts(sourceId, { search: 'refund' }).includes('SEARCH'));
    expect(skipped.map(({ sourceId }) => sourceId)).toEqual(expect.arrayContaining(['cq', 'rz']));
    ctx.h.resetUpstream();
    const result = await ctx.h.query(INBOX_QUERY, { first: 10, filter: { search: 'refund' } });
    const calls = ctx.h.upstream();
    expect(skipped.map(({ provider }) => calls[provider])).toEqual(skipped.map(() => []));
    expect(result.errors?.map((e) => [e.extensions?.code, e.extensions?.source])).toEqual(skipped.map(({ sourceId }) => ['FILTER_UNSUPPORTED', sourceId]));
    expect(result.errors?.[0]?.message).toMatch(/cq.*search/);
    // The error names the parts as the FilterPart enum does, like `sources[].unsupported`.
    expect(result.errors?.map((e) => e.extensions?.unsupported)).toEqual(skipped.map(() => ['SEARCH']));
    expect(result.data.conversations.edges.length).toBe(10);
  });

  it('gives no error when only Chatwoot is asked', async () => {
    const result = await checkFilter(ctx, { search: 'refund', sources: ['cw'] });
    expect(Object.keys(result.reports)).toEqual(['cw']);
  });

  it('re-applies the status locally, since Chatwoot ignores it while searching', async () => {
    const result = await checkFilter(ctx, { search: 'refund', status: ['OPEN'] });
    expect(splitOf(result).cw).toEqual({ pushedDown: ['SEARCH'], appliedLocally: ['STATUS'] });
    const closed = await checkFilter(ctx, { search: 'order', closed: true, sources: ['cw'] });
    expect(splitOf(closed).cw).toEqual({ pushedDown: ['SEARCH'], appliedLocally: ['CLOSED'] });
  });

  it('combines with the other parts', async () => {
    await checkFilter(ctx, { search: 'order', tags: { anyOf: ['billing', 'bug'] }, answered: false, sources: ['cw'] });
    await checkFilter(ctx, { search: 'thanks', assignee: { unassigned: true }, delayed: false, sources: ['cw'] });
  });

  it('rejects a blank search', async () => {
    const result = await ctx.h.query(INBOX_QUERY, { first: 5, filter: { search: '  ' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

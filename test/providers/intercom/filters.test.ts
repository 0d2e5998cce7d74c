import { describe, expect, it } from 'vitest';
import type { SourceFilter } from '../../../src/domain/filter.js';
import { DATE_MARGIN_SECONDS, planIntercomFilter, type IntercomListNative } from '../../../src/providers/intercom/filters.js';

/** docs/providers/intercom.md section 4: which filter parts the search answers, and how. */

const plan = (filter: SourceFilter) => {
  const result = planIntercomFilter(filter);
  return { ...result, native: result.native as IntercomListNative, capabilities: Object.fromEntries(result.decisions.map((d) => [d.part, d.capability])) };
};

describe('planning a filter for the search', () => {
  it('says status, closed and delayed with one state IN', () => {
    const result = plan({ status: ['OPEN', 'SNOOZED', 'PENDING'], closed: false });
    expect(result.native.filters).toEqual([{ field: 'state', operator: 'IN', value: ['open', 'snoozed'] }]);
    expect(result.capabilities).toEqual({ status: 'NATIVE', closed: 'NATIVE' });
  });

  it('asks nothing of a state set that allows every state, and nothing at all of one that allows none', () => {
    expect(plan({ status: ['OPEN', 'SNOOZED', 'CLOSED'] }).native.filters).toEqual([]);
    expect(plan({ status: ['PENDING'] }).empty).toBe(true);
    expect(plan({ closed: true, delayed: true }).empty).toBe(true);
  });

  it('pushes admin and team ids down, checks "nobody" itself', () => {
    expect(plan({ assignee: { adminIds: ['12', 'x'] } }).native.filters).toEqual([{ field: 'admin_assignee_id', operator: 'IN', value: [12] }]);
    expect(plan({ assignee: { unassigned: true } }).capabilities.assignee).toBe('LOCAL');
    expect(plan({ assignee: { adminIds: ['nope'] } }).empty).toBe(true);
    expect(plan({ channels: { ids: ['2100'] } }).native.filters).toEqual([{ field: 'team_assignee_id', operator: 'IN', value: [2100] }]);
    expect(plan({ channels: { ids: ['2100'], none: true } }).capabilities.channels).toBe('LOCAL');
  });

  it('sends tag names to be matched by id, and checks "untagged" itself', () => {
    expect(plan({ tags: { anyOf: ['vip', 'bug'], allOf: ['billing'] } })).toMatchObject({
      capabilities: { tags: 'NATIVE' },
      native: { tags: { anyOf: ['vip', 'bug'], allOf: ['billing'] } },
    });
    expect(plan({ tags: { untagged: true } }).capabilities.tags).toBe('LOCAL');
    expect(plan({ tags: { untagged: true, allOf: ['vip'] } }).empty).toBe(true);
    // "Or untagged" cannot hold beside allOf: what is left is allOf and anyOf, both searchable.
    const both = plan({ tags: { anyOf: ['churn-risk'], allOf: ['bug'], untagged: true } });
    expect(both).toMatchObject({ capabilities: { tags: 'NATIVE' }, native: { tags: { anyOf: ['churn-risk'], allOf: ['bug'] } } });
    expect(both.empty).toBeUndefined();
    expect(plan({ tags: { anyOf: [], untagged: true } }).capabilities.tags).toBe('LOCAL');
    expect(plan({ tags: { anyOf: [] } }).empty).toBe(true);
  });

  it('widens date ranges on both sides and checks them locally', () => {
    const from = Date.UTC(2025, 0, 10, 15, 30);
    const to = Date.UTC(2025, 0, 11, 9, 0);
    const result = plan({ updated: { from, to }, created: { from } });
    expect(result.capabilities).toEqual({ updated: 'LOCAL', created: 'LOCAL' });
    expect(result.native.filters).toEqual([
      { field: 'updated_at', operator: '>', value: from / 1000 - DATE_MARGIN_SECONDS },
      { field: 'updated_at', operator: '<', value: to / 1000 + DATE_MARGIN_SECONDS },
      { field: 'created_at', operator: '>', value: from / 1000 - DATE_MARGIN_SECONDS },
    ]);
    expect(DATE_MARGIN_SECONDS).toBeGreaterThan(86_400);
  });

  it('pushes botManaged down, answers answered locally and cannot search text', () => {
    expect(plan({ botManaged: true }).native.filters).toEqual([{ field: 'ai_agent_participated', operator: '=', value: true }]);
    expect(plan({ answered: true }).capabilities.answered).toBe('LOCAL');
    const search = planIntercomFilter({ search: 'refund' }).decisions[0]!;
    expect(search.capability).toBe('UNSUPPORTED');
    expect(search.reason).toMatch(/first message/);
  });
});

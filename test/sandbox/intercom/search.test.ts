import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntercomSimulator } from '../../../src/sandbox/intercom/index.js';
import { ALL, search, startSmall, walk } from './helpers.js';

/** docs/providers/intercom.md section 4: query trees, operators, fields, limits. */

let sim: IntercomSimulator;
beforeAll(async () => {
  sim = await startSmall();
});
afterAll(() => sim.close());

const ids = (rows: any[]) => rows.map((row) => row.id).sort();
const storeIds = (keep: (c: IntercomSimulator['store']['conversations'][number]) => boolean) => sim.store.conversations.filter(keep).map((c) => c.id).sort();

describe('fields and operators', () => {
  it('state IN selects those states, and = and != split the workspace', async () => {
    expect(ids(await walk(sim, { field: 'state', operator: 'IN', value: ['open', 'snoozed'] }, 150))).toEqual(storeIds((c) => c.state !== 'closed'));
    const closed = await walk(sim, { field: 'state', operator: '=', value: 'closed' }, 150);
    const notClosed = await walk(sim, { field: 'state', operator: '!=', value: 'closed' }, 150);
    expect(closed.length + notClosed.length).toBe(sim.store.conversations.length);
    expect(closed.every((row) => row.state === 'closed' && row.open === false)).toBe(true);
  });

  it('tag_ids = matches conversations carrying the tag; IN any of them', async () => {
    const [a, b] = sim.store.tags;
    expect(ids(await walk(sim, { field: 'tag_ids', operator: '=', value: a!.id }, 150))).toEqual(storeIds((c) => c.tagIds.includes(a!.id)));
    expect(ids(await walk(sim, { field: 'tag_ids', operator: 'IN', value: [a!.id, b!.id] }, 150))).toEqual(
      storeIds((c) => c.tagIds.includes(a!.id) || c.tagIds.includes(b!.id)),
    );
  });

  it('admin_assignee_id and team_assignee_id take integers, AND and OR combine filters', async () => {
    const admin = sim.store.conversations.find((c) => c.adminAssigneeId !== null)!.adminAssigneeId!;
    const team = sim.store.teams[0]!.id;
    const query = {
      operator: 'AND',
      value: [
        { operator: 'OR', value: [{ field: 'admin_assignee_id', operator: '=', value: Number(admin) }, { field: 'team_assignee_id', operator: '=', value: Number(team) }] },
        { field: 'ai_agent_participated', operator: '=', value: false },
      ],
    };
    expect(ids(await walk(sim, query, 150))).toEqual(storeIds((c) => (c.adminAssigneeId === admin || c.teamAssigneeId === team) && !c.ai_agent_participated));
  });

  it('source.body = matches one word of the first message, not a phrase', async () => {
    const conversation = sim.store.conversations.find((c) => (c.source.body ?? '').split(' ').length > 3)!;
    const word = conversation.source.body!.replace(/<[^>]*>/g, '').split(/[^\p{L}\p{N}]+/u).find((w) => w.length > 4)!;
    const found = await walk(sim, { field: 'source.body', operator: '=', value: word }, 150);
    expect(ids(found)).toContain(conversation.id);
    const phrase = conversation.source.body!.replace(/<[^>]*>/g, '').split(' ').slice(0, 2).join(' ');
    expect(ids(await walk(sim, { field: 'source.body', operator: '=', value: phrase }, 150))).toEqual([]);
  });
});

describe('dates', () => {
  const pick = () => sim.store.inOrder()[10]!;

  it('under the default reading > and < include the value itself', async () => {
    const at = pick().updated_at;
    expect(ids(await walk(sim, { field: 'updated_at', operator: '>', value: at }, 150))).toEqual(storeIds((c) => c.updated_at >= at));
    expect(ids(await walk(sim, { field: 'updated_at', operator: '<', value: at }, 150))).toEqual(storeIds((c) => c.updated_at <= at));
  });

  it('under the strict reading they exclude it', async () => {
    sim.setReadings({ timestampMatch: 'strict' });
    try {
      const at = pick().updated_at;
      expect(ids(await walk(sim, { field: 'updated_at', operator: '>', value: at }, 150))).toEqual(storeIds((c) => c.updated_at > at));
    } finally {
      sim.setReadings({ timestampMatch: 'inclusive' });
    }
  });

  it('under the day reading > starts at the next UTC day and < before the value\'s day', async () => {
    sim.setReadings({ timestampMatch: 'day' });
    try {
      const at = pick().updated_at;
      const day = Math.floor(at / 86_400) * 86_400;
      expect(ids(await walk(sim, { field: 'updated_at', operator: '>', value: at }, 150))).toEqual(storeIds((c) => c.updated_at >= day + 86_400));
      expect(ids(await walk(sim, { field: 'updated_at', operator: '<', value: at }, 150))).toEqual(storeIds((c) => c.updated_at < day));
    } finally {
      sim.setReadings({ timestampMatch: 'inclusive' });
    }
  });
});

describe('limits and malformed queries', () => {
  const leaf = { field: 'state', operator: '=', value: 'open' };

  it.each([
    ['three levels of groups', { operator: 'AND', value: [{ operator: 'OR', value: [{ operator: 'AND', value: [leaf] }] }] }],
    ['sixteen filters in one group', { operator: 'OR', value: Array.from({ length: 16 }, () => leaf) }],
    ['an unknown field', { field: 'no_such_field', operator: '=', value: 'x' }],
    ['> on a string field', { field: 'state', operator: '>', value: 'open' }],
    ['a string for a date', { field: 'created_at', operator: '>', value: 'foorbar' }],
    ['IN without an array', { field: 'state', operator: 'IN', value: 'open' }],
  ])('refuses %s with 400 parameter_invalid', async (_name, query) => {
    const reply = await search(sim, query);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ type: 'error.list', errors: [{ code: 'parameter_invalid' }] });
  });

  it('takes two levels and fifteen filters', async () => {
    const reply = await search(sim, { operator: 'AND', value: [{ operator: 'OR', value: Array.from({ length: 15 }, () => leaf) }] });
    expect(reply.status).toBe(200);
  });

  it('answers every conversation for updated_at > 0, with the exact total_count', async () => {
    const reply = await search(sim, ALL);
    expect(reply.body.total_count).toBe(sim.store.conversations.length);
    expect(reply.body.conversations).toHaveLength(20);
  });
});

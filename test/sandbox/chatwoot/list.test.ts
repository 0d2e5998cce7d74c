import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatwootSimulator } from '../../../src/sandbox/chatwoot/index.js';
import type { CwConversation } from '../../../src/sandbox/chatwoot/records.js';
import { byLastActivityDesc, countsOf, get, ids, payloadIds, startSmall, userOf, visibleInboxes } from './helpers.js';

let sim: ChatwootSimulator;
beforeAll(async () => {
  sim = await startSmall();
});
afterAll(() => sim.close());

const admin = () => userOf(sim, sim.credentials.token);
const agent = () => userOf(sim, sim.credentials.agentToken);
const rows = (match: (c: CwConversation) => boolean) => sim.store.conversations.filter(match);

/** Every page of `query` (page 1, 2, ... until an empty one), concatenated. */
async function allPages(query: string, token = sim.credentials.token): Promise<{ ids: number[]; meta: unknown }> {
  const out: number[] = [];
  let meta: unknown;
  for (let page = 1; ; page++) {
    const answer = await get(sim, `conversations?${query}&page=${page}`, token);
    expect(answer.status).toBe(200);
    meta ??= answer.json.data.meta;
    expect(answer.json.data.meta).toEqual(meta);
    if (answer.json.data.payload.length === 0) return { ids: out, meta };
    out.push(...payloadIds(answer));
  }
}

async function expectList(query: string, expected: CwConversation[], token = sim.credentials.token, countsFrom = expected) {
  const user = userOf(sim, token);
  const answer = await allPages(query, token);
  expect(answer.ids).toEqual(ids(byLastActivityDesc(expected)));
  expect(answer.meta).toEqual(countsOf(countsFrom, user));
}

describe('Chatwoot simulator: GET conversations', () => {
  it('lists open conversations by default, newest activity first, 25 a page, in the index envelope', async () => {
    const answer = await get(sim, 'conversations');
    const open = rows((c) => c.status === 'open');
    expect(Object.keys(answer.json)).toEqual(['data']);
    expect(Object.keys(answer.json.data)).toEqual(['meta', 'payload']);
    expect(answer.json.data.meta).toEqual(countsOf(open, admin()));
    expect(payloadIds(answer)).toEqual(ids(byLastActivityDesc(open).slice(0, 25)));
  });

  it('filters by each status, lists everything with status=all and nothing for an unknown status', async () => {
    for (const status of ['open', 'pending', 'snoozed', 'resolved'] as const) {
      const expected = rows((c) => c.status === status);
      expect(expected.length, status).toBeGreaterThan(0);
      await expectList(`status=${status}`, expected);
    }
    await expectList('status=all', rows(() => true));
    for (const odd of ['closed', 'RESOLVED', '']) await expectList(`status=${odd}`, []);
  });

  it('searches message content with ILIKE over incoming and outgoing messages, ignoring the status filter', async () => {
    const hits = (pattern: RegExp) =>
      rows((c) => sim.store.messagesOf(c.displayId).some((m) => (m.messageType === 0 || m.messageType === 1) && m.content !== null && pattern.test(m.content)));
    const refund = hits(/refund/i);
    expect(new Set(refund.map((c) => c.status)).size).toBeGreaterThan(1);
    await expectList('q=REFUND', refund);
    await expectList('q=refund&status=resolved', refund);
    // `_` is a one-character wildcard in ILIKE.
    await expectList('q=ord_r%20%23', hits(/ord.r #/i));
    // Activity messages are not searched.
    expect(rows((c) => sim.store.messagesOf(c.displayId).some((m) => m.messageType === 2 && /resolved by/.test(m.content ?? ''))).length).toBeGreaterThan(0);
    await expectList('q=resolved%20by', hits(/resolved by/i));
  });

  it('matches labels any-of, as labels[] or as a comma list', async () => {
    const expected = rows((c) => c.status === 'open' && c.labels.some((l) => l === 'billing' || l === 'vip'));
    expect(expected.length).toBeGreaterThan(0);
    await expectList('labels[]=billing&labels[]=vip', expected);
    await expectList('labels=billing,vip', expected);
  });

  it('shows an agent only the conversations of member inboxes; a foreign inbox_id gives an empty list', async () => {
    const member = visibleInboxes(sim, agent());
    const token = sim.credentials.agentToken;
    await expectList('status=all', rows((c) => member.has(c.inboxId)), token);
    const foreign = sim.store.inboxes.find((i) => !member.has(i.id))!;
    const answer = await get(sim, `conversations?status=all&inbox_id=${foreign.id}`, token);
    expect(answer.status).toBe(200);
    expect(answer.json.data).toEqual({ meta: { mine_count: 0, assigned_count: 0, unassigned_count: 0, all_count: 0 }, payload: [] });
    const own = [...member][0]!;
    await expectList(`status=all&inbox_id=${own}`, rows((c) => c.inboxId === own), token);
    await expectList(`status=all&inbox_id=${foreign.id}`, rows((c) => c.inboxId === foreign.id));
  });

  it('filters by team and answers an unknown team with 404', async () => {
    const team = sim.store.teams[0]!;
    await expectList(`status=all&team_id=${team.id}`, rows((c) => c.teamId === team.id));
    for (const bad of ['9999', 'abc']) {
      const answer = await get(sim, `conversations?team_id=${bad}`);
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual({ error: 'Resource could not be found' });
    }
  });

  it('filters by conversation_type unattended, mention and participating', async () => {
    await expectList('status=all&conversation_type=unattended', rows((c) => c.firstReplyCreatedAt === null || c.waitingSince !== null));
    const mentioned = new Set(sim.store.mentions.filter((m) => m.userId === admin().id).map((m) => m.conversationId));
    expect(mentioned.size).toBeGreaterThan(0);
    await expectList('status=all&conversation_type=mention', rows((c) => mentioned.has(c.displayId)));
    // Participating replaces the base set: an agent sees them even outside member inboxes.
    const me = agent();
    const participating = rows((c) => c.participantIds.includes(me.id));
    expect(participating.some((c) => !visibleInboxes(sim, me).has(c.inboxId))).toBe(true);
    await expectList('status=all&conversation_type=participating', participating, sim.credentials.agentToken);
  });

  it('filters by the contact inbox source_id', async () => {
    const target = sim.store.conversations[5]!;
    await expectList(`status=all&source_id=${encodeURIComponent(target.sourceId)}`, rows((c) => c.sourceId === target.sourceId));
  });

  it('applies assignee_type after the counts, which stay those of the whole set', async () => {
    const me = admin();
    const tags = ['billing', 'bug', 'refund', 'vip', 'api'];
    const query = `status=all&${tags.map((t) => `labels[]=${t}`).join('&')}`;
    const base = rows((c) => c.labels.some((l) => tags.includes(l)));
    const cases: Array<[string, (c: CwConversation) => boolean]> = [
      ['me', (c) => c.assigneeId === me.id],
      ['unassigned', (c) => c.assigneeId === null],
      ['assigned', (c) => c.assigneeId !== null],
      ['all', () => true],
      ['nobody', () => true],
    ];
    for (const [type, match] of cases) {
      expect(base.filter(match).length, type).toBeGreaterThan(0);
      await expectList(`${query}&assignee_type=${type}`, base.filter(match), sim.credentials.token, base);
    }
  });

  it('combines inbox, status, labels, assignee_type and sort_by', async () => {
    const inbox = sim.store.inboxes.find((i) => rows((c) => c.inboxId === i.id && c.status !== 'open').length > 3)!;
    const base = rows((c) => c.inboxId === inbox.id && c.status === 'resolved' && c.labels.length > 0);
    expect(base.length).toBeGreaterThan(0);
    const labels = [...new Set(base.flatMap((c) => c.labels))].slice(0, 2);
    const set = base.filter((c) => c.labels.some((l) => labels.includes(l)));
    const answer = await get(sim, `conversations?inbox_id=${inbox.id}&status=resolved&${labels.map((l) => `labels[]=${l}`).join('&')}&assignee_type=unassigned&sort_by=created_at_asc`);
    expect(answer.json.data.meta).toEqual(countsOf(set, admin()));
    expect(payloadIds(answer)).toEqual(ids(set.filter((c) => c.assigneeId === null).sort((a, b) => a.createdAt - b.createdAt)));
  });

  it('counts a bot-assigned conversation as unassigned (assignee_id stays NULL)', async () => {
    const botManaged = rows((c) => c.assigneeAgentBotId !== null);
    expect(botManaged.length).toBeGreaterThan(0);
    const unassigned = await allPages('status=all&assignee_type=unassigned');
    for (const c of botManaged) expect(unassigned.ids).toContain(c.displayId);
  });

  it('sorts by every sort_by option and alias, ties in storage order, unknown values by default', async () => {
    const all = sim.store.conversations;
    const stable = (compare: (a: CwConversation, b: CwConversation) => number) =>
      [...all].map((c, i) => [c, i] as const).sort(([a, i], [b, j]) => compare(a, b) || i - j).map(([c]) => c.displayId);
    const rank = (c: CwConversation) => (c.priority === null ? null : ['low', 'medium', 'high', 'urgent'].indexOf(c.priority));
    const nullsLast = (x: number | null, y: number | null, dir: number) => (x === null ? (y === null ? 0 : 1) : y === null ? -1 : (x - y) * dir);
    const activityDesc = (a: CwConversation, b: CwConversation) => b.lastActivityAt - a.lastActivityAt;
    const cases: Record<string, (a: CwConversation, b: CwConversation) => number> = {
      last_activity_at_desc: activityDesc,
      latest: activityDesc,
      nonsense: activityDesc,
      last_activity_at_asc: (a, b) => a.lastActivityAt - b.lastActivityAt,
      created_at_desc: (a, b) => b.createdAt - a.createdAt,
      created_at_asc: (a, b) => a.createdAt - b.createdAt,
      sort_on_created_at: (a, b) => a.createdAt - b.createdAt,
      priority_desc: (a, b) => nullsLast(rank(a), rank(b), -1) || activityDesc(a, b),
      sort_on_priority: (a, b) => nullsLast(rank(a), rank(b), -1) || activityDesc(a, b),
      priority_asc: (a, b) => nullsLast(rank(a), rank(b), 1) || activityDesc(a, b),
      waiting_since_asc: (a, b) => nullsLast(a.waitingSince, b.waitingSince, 1) || a.createdAt - b.createdAt,
      sort_on_waiting_since: (a, b) => nullsLast(a.waitingSince, b.waitingSince, 1) || a.createdAt - b.createdAt,
      waiting_since_desc: (a, b) => nullsLast(a.waitingSince, b.waitingSince, -1) || a.createdAt - b.createdAt,
    };
    for (const [sortBy, compare] of Object.entries(cases)) {
      expect((await allPages(`status=all&sort_by=${sortBy}`)).ids, sortBy).toEqual(stable(compare));
    }
  });

  it('returns every conversation updated within updated_within seconds, unpaginated, with the same counts', async () => {
    const all = rows(() => true);
    const cutoffRow = [...all].sort((a, b) => b.updatedAtUs - a.updatedAtUs)[39]!;
    const seconds = Math.ceil((Date.UTC(2026, 0, 19, 12) - cutoffRow.updatedAtUs / 1000) / 1000);
    const since = (Date.UTC(2026, 0, 19, 12) - seconds * 1000) * 1000;
    const expected = byLastActivityDesc(all.filter((c) => c.updatedAtUs > since));
    expect(expected.length).toBeGreaterThan(25);
    expect(expected.length).toBeLessThan(all.length);
    for (const page of ['1', '2']) {
      const answer = await get(sim, `conversations?status=all&updated_within=${seconds}&page=${page}`);
      expect(payloadIds(answer)).toEqual(ids(expected));
      expect(answer.json.data.meta).toEqual(countsOf(all, admin()));
    }
  });

  it('reads page like Kaminari: below 1 or not a number is page 1, past the end is empty', async () => {
    const first = payloadIds(await get(sim, 'conversations?status=all'));
    for (const page of ['0', '-3', 'abc']) expect(payloadIds(await get(sim, `conversations?status=all&page=${page}`))).toEqual(first);
    const past = await get(sim, 'conversations?status=all&page=9');
    expect(past.json.data.payload).toEqual([]);
    expect(past.json.data.meta.all_count).toBe(60);
  });

  it('answers GET conversations/meta with the counts alone, at the top level', async () => {
    const answer = await get(sim, 'conversations/meta?status=all&assignee_type=me');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ meta: countsOf(rows(() => true), admin()) });
    expect((await get(sim, 'conversations/meta?team_id=9999')).status).toBe(404);
  });
});

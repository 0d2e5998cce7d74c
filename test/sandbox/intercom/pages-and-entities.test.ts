import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IntercomSimulator } from '../../../src/sandbox/intercom/index.js';
import { ALL, call, search, startSmall, walk } from './helpers.js';

/** docs/providers/intercom.md sections 5 and 8: cursor pages under live change, one conversation, directories. */

let sim: IntercomSimulator;
let clock: number;
beforeEach(async () => {
  clock = Date.UTC(2025, 4, 20, 12, 0, 0);
  sim = await startSmall({ now: () => clock });
});
afterEach(() => sim.close());

const key = (row: any) => [row.updated_at, Number(row.id)] as const;

describe('cursor pages', () => {
  it('walks every conversation once, updated_at descending then id descending', async () => {
    const rows = await walk(sim, ALL, 7);
    expect(rows.map((row) => row.id).sort()).toEqual(sim.store.conversations.map((c) => c.id).sort());
    for (let i = 1; i < rows.length; i += 1) {
      const [a, b] = [key(rows[i - 1]), key(rows[i])];
      expect(a[0] > b[0] || (a[0] === b[0] && a[1] > b[1])).toBe(true);
    }
  });

  it('defaults to 20 rows, takes 150 and refuses 151', async () => {
    expect((await search(sim, ALL)).body.pages).toMatchObject({ type: 'pages', page: 1, per_page: 20 });
    expect((await search(sim, ALL, { per_page: 150 })).status).toBe(200);
    const refused = await search(sim, ALL, { per_page: 151 });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].code).toBe('parameter_invalid');
  });

  it('gives the last page no next', async () => {
    const reply = await search(sim, ALL, { per_page: 150 });
    expect(reply.body.pages.next).toBeUndefined();
  });

  it('refuses a cursor it never wrote', async () => {
    expect((await search(sim, ALL, { starting_after: 'not a cursor' })).status).toBe(400);
  });

  it('keyset cursors neither repeat nor skip an unchanged conversation while others change', async () => {
    const before = new Set(sim.store.conversations.map((c) => c.id));
    const changed = new Set<string>();
    const rows = await walk(sim, ALL, 10, (page) => {
      clock += 1000;
      changed.add(sim.createConversation().id);
      const old = sim.store.inOrder().at(-1 - page)!;
      sim.addReply(old.id, { from: 'user' });
      changed.add(old.id);
    });
    const seen = rows.map((row) => row.id).filter((id) => !changed.has(id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual([...before].filter((id) => !changed.has(id)).sort());
  });

  it('an offset cursor (the other reading) repeats rows when new conversations arrive', async () => {
    sim.setReadings({ cursor: 'offset' });
    const rows = await walk(sim, ALL, 10, () => {
      clock += 1000;
      sim.createConversation();
    });
    expect(new Set(rows.map((row) => row.id)).size).toBeLessThan(rows.length);
  });
});

describe('live changes', () => {
  it('a contact reply reopens a closed conversation, marks it unread and moves it to the top', async () => {
    const closed = sim.store.conversations.find((c) => c.state === 'closed')!;
    clock += 60_000;
    sim.addReply(closed.id, { from: 'user', body: '<p>hello again</p>' });
    const top = (await search(sim, ALL, { per_page: 1 })).body.conversations[0];
    expect(top).toMatchObject({ id: closed.id, state: 'open', read: false, updated_at: clock / 1000 });
    expect(top.waiting_since).toBe(clock / 1000);
  });

  it('state changes through the control API add a part and move updated_at', async () => {
    const open = sim.store.conversations.find((c) => c.state === 'open')!;
    clock += 60_000;
    const response = await fetch(`${sim.url}/__sandbox/change/state`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: open.id, state: 'snoozed', snoozedUntil: clock / 1000 + 3600 }),
    });
    expect(response.status).toBe(201);
    const detail = (await call(sim, 'GET', `/conversations/${open.id}`)).body;
    expect(detail).toMatchObject({ state: 'snoozed', snoozed_until: clock / 1000 + 3600, updated_at: clock / 1000 });
    expect(detail.conversation_parts.conversation_parts.at(-1)).toMatchObject({ part_type: 'snoozed', author: { type: 'admin' } });
  });

  it('an admin reply clears waiting_since', async () => {
    const waiting = sim.store.conversations.find((c) => c.parts.at(-1)?.author.type === 'user' && c.parts.at(-1)?.part_type === 'comment')!;
    expect((await call(sim, 'GET', `/conversations/${waiting.id}`)).body.waiting_since).not.toBeNull();
    clock += 1000;
    sim.addReply(waiting.id, { from: 'admin' });
    expect((await call(sim, 'GET', `/conversations/${waiting.id}`)).body.waiting_since).toBeNull();
  });
});

describe('one conversation', () => {
  it('carries its parts oldest first with their authors, the first message as source', async () => {
    const record = sim.store.conversations.find((c) => c.parts.length > 3)!;
    const body = (await call(sim, 'GET', `/conversations/${record.id}`)).body;
    expect(body.source).toMatchObject({ id: record.source.id, author: { type: record.source.author.type, id: record.source.author.id } });
    expect(body.conversation_parts.total_count).toBe(record.parts.length);
    expect(body.conversation_parts.conversation_parts.map((p: any) => p.id)).toEqual(record.parts.map((p) => p.id));
  });

  it('shows only the newest 500 parts, with the true total_count', async () => {
    const record = sim.store.conversations[0]!;
    await fetch(`${sim.url}/__sandbox/change/parts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: record.id, count: 520 }) });
    const body = (await call(sim, 'GET', `/conversations/${record.id}`)).body;
    expect(body.conversation_parts.total_count).toBe(record.parts.length);
    expect(body.conversation_parts.conversation_parts).toHaveLength(500);
    expect(body.conversation_parts.conversation_parts.at(-1).id).toBe(record.parts.at(-1)!.id);
    expect(body.conversation_parts.conversation_parts[0].id).toBe(record.parts.at(-500)!.id);
  });

  it('sends admin_assignee_id null, or 0 under the other reading, for no admin', async () => {
    const record = sim.store.conversations.find((c) => c.adminAssigneeId === null)!;
    expect((await call(sim, 'GET', `/conversations/${record.id}`)).body.admin_assignee_id).toBeNull();
    sim.setReadings({ unassignedAdminId: 0 });
    expect((await call(sim, 'GET', `/conversations/${record.id}`)).body.admin_assignee_id).toBe(0);
  });
});

describe('directories', () => {
  it('lists teammates (no bots), teams and tags in their list envelopes', async () => {
    const admins = (await call(sim, 'GET', '/admins')).body;
    expect(admins.type).toBe('admin.list');
    expect(admins.admins.map((a: any) => a.id).sort()).toEqual(sim.store.admins.filter((a) => !a.isBot).map((a) => a.id).sort());
    expect(admins.admins[0]).toMatchObject({ type: 'admin', avatar: { image_url: expect.any(String) } });
    expect((await call(sim, 'GET', '/teams')).body).toMatchObject({ type: 'team.list', teams: sim.store.teams.map((t) => ({ type: 'team', id: t.id, name: t.name })) });
    expect((await call(sim, 'GET', '/tags')).body).toMatchObject({ type: 'list', data: sim.store.tags.map((t) => ({ type: 'tag', id: t.id, name: t.name })) });
  });

  it('finds contacts by id, one at a time or many in one search', async () => {
    const [a, b] = sim.store.contacts;
    expect((await call(sim, 'GET', `/contacts/${a!.id}`)).body).toMatchObject({ type: 'contact', id: a!.id, name: a!.name });
    const found = (await call(sim, 'POST', '/contacts/search', { query: { field: 'id', operator: 'IN', value: [a!.id, b!.id, 'nobody'] } })).body;
    expect(found.data.map((c: any) => c.id).sort()).toEqual([a!.id, b!.id].sort());
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../../src/sandbox/intercom/index.js';
import { drain, listPage, NOW, startRig, type Rig } from './rig.js';

/** The adapter against the simulator: what it reads, what it maps, and what each read costs upstream. */

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(() => rig.close());

const order = (records: ConversationRecord[]) =>
  [...records].sort((a, b) => b.updated_at - a.updated_at || (a.id.length === b.id.length ? (a.id < b.id ? 1 : -1) : b.id.length - a.id.length)).map((c) => c.id);
const storeWhere = (keep: (c: ConversationRecord) => boolean) => rig.sim.store.conversations.filter(keep).map((c) => c.id).sort();
const idsOf = (rows: Array<{ conversation: { nativeId: string } }>) => rows.map((row) => row.conversation.nativeId);

describe('the list', () => {
  it('reads the newest conversations first in one search call', async () => {
    const page = await listPage(rig, {}, 20);
    expect(rig.take()).toEqual(['conversations.search']);
    expect(idsOf(page.rows)).toEqual(order(rig.sim.store.conversations).slice(0, 20));
    expect(page.totalCount).toBe(rig.sim.store.conversations.length);
  });

  it('resumes from a row\'s hint with one call, however deep the page (keyset, page N costs page 1)', async () => {
    const expected = order(rig.sim.store.conversations);
    const seen: string[] = [];
    let hint = null;
    for (let page = 0; page < 6; page += 1) {
      const result = await listPage(rig, {}, 9, hint);
      expect(rig.take()).toEqual(['conversations.search']);
      // The merge would take the first rows it has not seen; take 7 of them, as a merged page would.
      const fresh = result.rows.filter((row) => !seen.includes(row.conversation.nativeId)).slice(0, 7);
      seen.push(...idsOf(fresh));
      hint = fresh.at(-1)!.hint;
    }
    expect(seen).toEqual(expected.slice(0, 42));
  });

  it('follows pages.next within a request until the search ends, every row once', async () => {
    const rows = await drain(rig, {}, 40);
    expect(idsOf(rows)).toEqual(order(rig.sim.store.conversations));
    expect(rig.take()).toEqual(['conversations.search', 'conversations.search', 'conversations.search']);
  });

  it.each([
    ['status', { status: ['OPEN' as const, 'SNOOZED' as const] }, (c: ConversationRecord) => c.state !== 'closed'],
    ['closed', { closed: true }, (c: ConversationRecord) => c.state === 'closed'],
    ['botManaged', { botManaged: true }, (c: ConversationRecord) => c.ai_agent_participated],
  ])('answers %s natively', async (_name, filter, keep) => {
    expect(idsOf(await drain(rig, filter)).sort()).toEqual(storeWhere(keep));
  });

  it('answers assignee and team ids natively', async () => {
    const admin = rig.sim.store.conversations.find((c) => c.adminAssigneeId)!.adminAssigneeId!;
    const team = rig.sim.store.teams[1]!.id;
    expect(idsOf(await drain(rig, { assignee: { adminIds: [admin] } })).sort()).toEqual(storeWhere((c) => c.adminAssigneeId === admin));
    expect(idsOf(await drain(rig, { channels: { ids: [team] } })).sort()).toEqual(storeWhere((c) => c.teamAssigneeId === team));
  });

  it('matches tag names by id, with one tags call that later lists reuse', async () => {
    const [vip, bug] = ['vip', 'bug'].map((name) => rig.sim.store.tags.find((t) => t.name === name)!.id);
    const any = await drain(rig, { tags: { anyOf: ['vip', 'bug', 'no-such-tag'] } });
    expect(idsOf(any).sort()).toEqual(storeWhere((c) => c.tagIds.includes(vip!) || c.tagIds.includes(bug!)));
    expect(rig.take()[0]).toBe('tags.list');
    const all = await drain(rig, { tags: { allOf: ['vip', 'bug'] } });
    expect(idsOf(all).sort()).toEqual(storeWhere((c) => c.tagIds.includes(vip!) && c.tagIds.includes(bug!)));
    expect(rig.take()).not.toContain('tags.list');
  });

  it('reads nothing for a tag the workspace does not have in allOf', async () => {
    const page = await listPage(rig, { tags: { allOf: ['vip', 'no-such-tag'] } }, 20);
    expect(page.rows).toEqual([]);
    expect(rig.take()).toEqual(['tags.list']);
  });

  it.each(['inclusive', 'strict', 'day'] as const)('an updated range loses no match when dates compare %s', async (reading) => {
    rig.sim.setReadings({ timestampMatch: reading });
    const sorted = [...rig.sim.store.conversations].sort((a, b) => a.updated_at - b.updated_at);
    const from = sorted[30]!.updated_at * 1000;
    const to = sorted[50]!.updated_at * 1000;
    const got = new Set(idsOf(await drain(rig, { updated: { from, to } })));
    for (const id of storeWhere((c) => c.updated_at * 1000 >= from && c.updated_at * 1000 < to)) expect(got).toContain(id);
  });
});

describe('mapping', () => {
  it('maps state, times, people and tags with the native values kept', async () => {
    const record = rig.sim.store.conversations.find((c) => c.state === 'snoozed' && c.tagIds.length > 0 && c.adminAssigneeId)!;
    const [detail] = await rig.source.getConversations([record.id], rig.scope);
    const conversation = detail!.conversation;
    expect(conversation).toMatchObject({
      nativeId: record.id,
      status: 'SNOOZED',
      nativeStatus: 'snoozed',
      closed: false,
      createdAt: record.created_at * 1000,
      lastUpdateMicros: record.updated_at * 1e6,
      delayedUntil: record.snoozed_until! * 1000,
      assigneeId: record.adminAssigneeId,
      userId: record.contactId,
      tags: record.tagIds.map((id) => rig.sim.store.tag(id)!.name),
      channelKind: record.sourceType,
    });
    expect((conversation.raw as { state: string }).state).toBe('snoozed');
  });

  it('reads no admin and no team for null and for 0', async () => {
    rig.sim.setReadings({ unassignedAdminId: 0 });
    const record = rig.sim.store.conversations.find((c) => c.adminAssigneeId === null && c.teamAssigneeId === null)!;
    const [detail] = await rig.source.getConversations([record.id], rig.scope);
    expect(detail!.conversation).toMatchObject({ assigneeId: null, channelId: null });
  });

  it('says who replied last from waiting_since and the reply statistics', async () => {
    const rows = await drain(rig, {});
    for (const { conversation } of rows) {
      const record = rig.sim.store.conversation(conversation.nativeId)!;
      const replies = [record.source, ...record.parts].filter((p) => p.part_type === 'comment' && p.author.type !== 'bot');
      const last = replies.at(-1);
      expect(conversation.lastReplyFrom, record.id).toBe(last === undefined ? null : last.author.type === 'admin' ? 'ADMIN' : 'USER');
    }
  });
});

describe('one conversation and its thread', () => {
  it('reads each conversation once by id; an id Intercom cannot have costs no call', async () => {
    const [a, b] = rig.sim.store.conversations;
    const details = await rig.source.getConversations([a!.id, 'not-an-id', a!.id, b!.id, '999999999'], rig.scope);
    expect(details.map((d) => d?.conversation.nativeId ?? null)).toEqual([a!.id, null, a!.id, b!.id, null]);
    expect(rig.take().sort()).toEqual(['conversations.get', 'conversations.get', 'conversations.get']);
  });

  it('lists the first message, then the parts, with authors, and the last part', async () => {
    const record = rig.sim.store.conversations.find((c) => c.parts.length >= 4)!;
    const page = await rig.source.listParts({ conversationId: record.id, first: 3, afterPartId: null }, rig.scope);
    expect(page.parts.map((p) => p.nativeId)).toEqual([record.source.id, ...record.parts.slice(0, 2).map((p) => p.id)]);
    expect(page.parts[0]).toMatchObject({ nativeType: 'source', author: { id: record.source.author.id } });
    expect(page).toMatchObject({ hasNextPage: true, totalCount: record.parts.length + 1 });
    const next = await rig.source.listParts({ conversationId: record.id, first: 100, afterPartId: page.parts[2]!.nativeId }, rig.scope);
    expect(next.parts.map((p) => p.nativeId)).toEqual(record.parts.slice(2).map((p) => p.id));
    const [detail] = await rig.source.getConversations([record.id], rig.scope);
    expect(detail!.conversation.lastPart?.nativeId).toBe(record.parts.at(-1)!.id);
  });

  it('reports the parts Intercom holds back past 500 instead of skipping them in silence', async () => {
    const record = rig.sim.store.conversations[0]!;
    rig.sim.store.addParts(record.id, 600);
    const page = await rig.source.listParts({ conversationId: record.id, first: 5, afterPartId: null }, rig.scope);
    const hidden = record.parts.length - 500;
    expect(page.totalCount).toBe(record.parts.length + 1);
    expect(page.dropped).toEqual([{ path: 'conversation_parts', problem: expect.stringContaining(`${hidden} older parts`) }]);
    expect(page.parts[1]!.nativeId).toBe(record.parts.at(-500)!.id);
  });
});

describe('people and directories', () => {
  it('primes users from list rows and loads the rest in one contacts search', async () => {
    const page = await listPage(rig, {}, 40);
    const primed = new Set(page.included.users.map((u) => u.nativeId));
    const wanted = [...new Set(page.rows.map((r) => r.conversation.userId!))];
    const missing = wanted.filter((id) => !primed.has(id));
    rig.take();
    const users = await rig.source.getUsers(missing.length > 0 ? missing : wanted.slice(0, 3), rig.scope);
    expect(rig.take()).toEqual(['contacts.search']);
    for (const user of users) expect(user?.name).toBe(rig.sim.store.contact(user!.nativeId)!.name);
  });

  it('reads admins and teams once and serves them from the cache after', async () => {
    const admin = rig.sim.store.admins.find((a) => !a.isBot)!;
    const bot = rig.sim.store.admins.find((a) => a.isBot)!;
    expect((await rig.source.getAdmins([admin.id, bot.id], rig.scope)).map((a) => a?.name ?? null)).toEqual([admin.name, null]);
    await rig.source.getAdmins([admin.id], rig.scope);
    const teams = await rig.source.listChannels(rig.scope);
    expect(teams.map((t) => t.name)).toEqual(rig.sim.store.teams.map((t) => t.name));
    await rig.source.getChannels([rig.sim.store.teams[0]!.id], rig.scope);
    expect(rig.take()).toEqual(['admins.list', 'teams.list']);
  });

  it('keeps a bot author as an admin node when a thread names it', async () => {
    const record = rig.sim.store.conversations.find((c) => c.parts.some((p) => p.author.type === 'bot'));
    if (!record) return;
    const [detail] = await rig.source.getConversations([record.id], rig.scope);
    expect(detail!.included.admins.some((a) => a.isBot)).toBe(true);
  });
});

describe('failures', () => {
  it('turns a 401 into SOURCE_AUTH_FAILED', async () => {
    const { UpstreamClient } = await import('../../../src/http/upstream-client.js');
    const { createIntercomSource } = await import('../../../src/providers/intercom/index.js');
    const http = new UpstreamClient({ sourceId: 'ic', baseUrl: rig.sim.url });
    const source = createIntercomSource('ic', { baseUrl: rig.sim.url, token: 'wrong' }, { http, now: () => NOW });
    const failure = await source.listConversations({ plan: source.planFilter({}), after: null, hint: null, continuation: null, want: 5 }, {}).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
    await http.close();
  });

  it('reads a 404 on the search as a wrong baseUrl, not as an empty workspace', async () => {
    const { UpstreamClient } = await import('../../../src/http/upstream-client.js');
    const { createIntercomSource } = await import('../../../src/providers/intercom/index.js');
    const http = new UpstreamClient({ sourceId: 'ic', baseUrl: `${rig.sim.url}/wrong-prefix` });
    const source = createIntercomSource('ic', { baseUrl: `${rig.sim.url}/wrong-prefix`, token: rig.sim.credentials.token }, { http, now: () => NOW });
    const failure = await source.listConversations({ plan: source.planFilter({}), after: null, hint: null, continuation: null, want: 5 }, {}).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', message: expect.stringContaining('baseUrl') });
    expect(await source.getConversations([rig.sim.store.conversations[0]!.id], {})).toEqual([null]);
    await http.close();
  });

  it('refuses a hint it never wrote', () => {
    expect(rig.source.isValidHint(['WzE3OTU4Mzk4MjAsIjEwMTAzMSJd', 3])).toBe(true);
    expect(rig.source.isValidHint(['', 0])).toBe(true);
    for (const bad of [[1, 2], ['x'], ['ok', -1], ['ok', 150], ['has space', 1], 'x', 5]) expect(rig.source.isValidHint(bad)).toBe(false);
  });
});

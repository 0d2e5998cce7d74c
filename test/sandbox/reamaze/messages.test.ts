import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRecord, MessageRecord } from '../../../src/sandbox/reamaze/index.js';
import { get, pageCount, startSmall, walk } from './helpers.js';

let sim: Awaited<ReturnType<typeof startSmall>>;
let all: ConversationRecord[];
beforeAll(async () => {
  sim = await startSmall();
  all = sim.store.conversations;
});
afterAll(() => sim.close());

/** A message's identity on the wire: there is no id, so compare what there is. */
const fingerprint = (m: any) => `${m.conversation.slug}|${m.created_at}|${m.user.email}|${m.body}`;
const expectedPrint = (m: MessageRecord, c: ConversationRecord) =>
  `${c.slug}|${m.createdAt}|${m.user.email}|${m.body}`;
const wirePrint = (m: any) => `${m.conversation.slug}|${Date.parse(m.created_at)}|${m.user.email}|${m.body}`;

describe('GET /api/v1/conversations/{slug}/messages', () => {
  const longest = () => [...all].sort((a, b) => b.messages.length - a.messages.length)[0]!;

  it('pages 30 at a time, oldest first, with the list paging fields', async () => {
    const c = longest();
    expect(c.messages.length).toBeGreaterThan(30);
    const { items, pages } = await walk(sim, `/api/v1/conversations/${c.slug}/messages`, 'messages');
    expect(pages).toHaveLength(2);
    expect(Object.keys(pages[0])).toEqual(['page_size', 'page_count', 'total_count', 'messages']);
    expect(pages[0]).toMatchObject({ page_size: 30, page_count: 2, total_count: c.messages.length });
    expect(pages[0].messages).toHaveLength(30);
    expect(pages[1].messages).toHaveLength(c.messages.length - 30);
    expect(items.map(wirePrint)).toEqual(c.messages.map((m) => expectedPrint(m, c)));
    const times = items.map((m: any) => Date.parse(m.created_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const past = await get(sim, `/api/v1/conversations/${c.slug}/messages`, { page: '3' });
    expect(past.body).toEqual({ page_size: 30, page_count: 2, total_count: c.messages.length, messages: [] });
  });

  it('carries no id anywhere in a message, only the embedded conversation summary', async () => {
    const c = longest();
    const { body } = await get(sim, `/api/v1/conversations/${c.slug}/messages`);
    for (const m of body.messages) {
      expect(Object.keys(m)).toEqual([
        'body', 'visibility', 'origin', 'origin_id', 'created_at', 'user', 'recipients', 'direct_recipients',
        'attachments', 'conversation',
      ]);
      expect(Object.keys(m.user)).toEqual(['name', 'email', 'mobile', 'staff?']);
      expect(Object.keys(m.conversation)).toEqual(['subject', 'slug', 'created_at', 'category', 'followers']);
      expect(m.conversation.slug).toBe(c.slug);
      expect(m.conversation.category).toEqual({
        name: c.category.name, slug: c.category.slug, email: c.category.email, channel: c.category.channel,
      });
      expect(m.created_at).toMatch(/\.\d{3}-05:00$/);
    }
  });

  it('marks notes visibility 1 and collisions visibility 2, and staff with "staff?"', async () => {
    const records = all.flatMap((c) => c.messages.map((m) => ({ m, c })));
    for (const visibility of [0, 1, 2] as const) {
      const { m, c } = records.find((r) => r.m.visibility === visibility)!;
      const { items } = await walk(sim, `/api/v1/conversations/${c.slug}/messages`, 'messages');
      const wire = items.find((w: any) => wirePrint(w) === expectedPrint(m, c))!;
      expect(wire.visibility).toBe(visibility);
      expect(wire.user['staff?']).toBe(m.user.kind === 'staff');
      if (visibility !== 0) expect(wire.user['staff?']).toBe(true);
    }
  });

  it('filter=staff and filter=customer split the thread by author', async () => {
    const c = longest();
    for (const filter of ['staff', 'customer'] as const) {
      const expected = c.messages.filter((m) => m.user.kind === filter);
      const { items, pages } = await walk(sim, `/api/v1/conversations/${c.slug}/messages`, 'messages', { filter });
      expect(pages[0].total_count).toBe(expected.length);
      expect(items.map(wirePrint)).toEqual(expected.map((m) => expectedPrint(m, c)));
    }
    const unknown = await get(sim, `/api/v1/conversations/${c.slug}/messages`, { filter: 'bots' });
    expect(unknown.body.total_count).toBe(c.messages.length);
  });

  it('serialises attachments with Re:amaze’s file_* keys', async () => {
    const c = all.find((x) => x.messages.some((m) => m.attachments.length))!;
    const { items } = await walk(sim, `/api/v1/conversations/${c.slug}/messages`, 'messages');
    const wire = items.find((m: any) => m.attachments.length)!;
    const record = c.messages.find((m) => m.attachments.length)!.attachments[0]!;
    expect(wire.attachments[0]).toEqual({
      file_file_name: record.fileName,
      file_content_type: record.contentType,
      file_file_size: record.size,
      thumb_url: `${record.url}?thumb=1`,
      url: record.url,
      'image?': true,
    });
  });

  it('answers an unknown slug with 404', async () => {
    const { status, body } = await get(sim, '/api/v1/conversations/nope-12345/messages');
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'Not Found' });
  });

  it('refuses a bad date with 422', async () => {
    const { status, body } = await get(sim, `/api/v1/conversations/${all[0]!.slug}/messages`, { start_date: 'soon' });
    expect(status).toBe(422);
    expect(body).toEqual({ errors: { start_date: ['is invalid'] } });
  });
});

describe('GET /api/v1/messages (brand-wide)', () => {
  const rows = () =>
    all
      .flatMap((c, ci) => c.messages.map((m, mi) => ({ m, c, ci, mi })))
      .sort((a, b) => a.m.createdAt - b.m.createdAt || a.ci - b.ci || a.mi - b.mi);

  it('lists every message of the brand oldest first, 30 a page, each exactly once', async () => {
    const expected = rows();
    const { items, pages } = await walk(sim, '/api/v1/messages', 'messages');
    expect(pages[0]).toMatchObject({ page_size: 30, page_count: pageCount(expected.length), total_count: expected.length });
    expect(items.map(wirePrint)).toEqual(expected.map((r) => expectedPrint(r.m, r.c)));
    expect(new Set(items.map(fingerprint)).size).toBe(items.length);
  });

  it('filters by author side, sender, origin, tag and category', async () => {
    const staff = sim.store.staff.find((s) => !s.isBot)!;
    const cases: Array<[Record<string, string>, (r: ReturnType<typeof rows>[number]) => boolean]> = [
      [{ filter: 'customer' }, (r) => r.m.user.kind === 'customer'],
      [{ sent_by: staff.email.toUpperCase() }, (r) => r.m.user.email === staff.email],
      [{ origin: '1' }, (r) => r.m.origin === 1],
      [{ tag: 'refund,vip' }, (r) => r.c.tags.includes('refund') || r.c.tags.includes('vip')],
      [{ category: all[0]!.category.slug, filter: 'staff' }, (r) => r.c.category === all[0]!.category && r.m.user.kind === 'staff'],
    ];
    for (const [query, keep] of cases) {
      const expected = rows().filter(keep);
      expect(expected.length).toBeGreaterThan(0);
      const { items, pages } = await walk(sim, '/api/v1/messages', 'messages', query);
      expect(pages[0].total_count).toBe(expected.length);
      expect(items.map(wirePrint)).toEqual(expected.map((r) => expectedPrint(r.m, r.c)));
    }
  });

  it('bounds message times with start_date and end_date', async () => {
    const from = Date.UTC(2026, 0, 12, 5);
    const to = Date.UTC(2026, 0, 13, 5);
    const expected = rows().filter((r) => r.m.createdAt >= from && r.m.createdAt < to);
    expect(expected.length).toBeGreaterThan(0);
    const { items } = await walk(sim, '/api/v1/messages', 'messages', { start_date: '2026-01-12', end_date: '2026-01-12' });
    expect(items.map(wirePrint)).toEqual(expected.map((r) => expectedPrint(r.m, r.c)));
  });
});

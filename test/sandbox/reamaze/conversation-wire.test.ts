import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReamazeSimulator, type ReamazeSimulator } from '../../../src/sandbox/reamaze/index.js';
import { NOW, get, lastCustomerAt, startSmall, walk } from './helpers.js';

const ISO_MINUS_5 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}-05:00$/;

let sim: Awaited<ReturnType<typeof startSmall>>;
let big: ReamazeSimulator;
beforeAll(async () => {
  sim = await startSmall();
  big = await startReamazeSimulator({ now: () => NOW });
});
afterAll(async () => {
  await sim.close();
  await big.close();
});

describe('one conversation', () => {
  it('GET /conversations/{slug} returns the same object as its list item', async () => {
    const { items } = await walk(sim, '/api/v1/conversations', 'conversations', { filter: 'all' });
    for (const item of items.slice(0, 10)) {
      const { status, body } = await get(sim, `/api/v1/conversations/${item.slug}`);
      expect(status).toBe(200);
      expect(body).toEqual(item);
    }
  });

  it('answers an unknown slug with 404 {"error":"Not Found"}', async () => {
    const { status, body } = await get(sim, '/api/v1/conversations/no-such-slug-00000');
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'Not Found' });
  });

  it('has the documented fields, with the slug as the only id', async () => {
    const record = sim.store.conversations.find((c) => c.assignee && c.tags.length && c.data.plan)!;
    const { body } = await get(sim, `/api/v1/conversations/${record.slug}`);
    expect(Object.keys(body)).toEqual([
      'subject', 'slug', 'created_at', 'updated_at', 'origin', 'data', 'hold_until', 'author', 'assignee',
      'perma_url', 'tag_list', 'status', 'display_subject', 'category', 'last_customer_message', 'followers',
      'message', 'readOnly', 'message_count',
    ]);
    expect(body).not.toHaveProperty('id');
    expect(body).toMatchObject({
      subject: record.subject,
      display_subject: record.subject,
      slug: record.slug,
      status: record.status,
      origin: record.origin,
      data: record.data,
      tag_list: record.tags,
      message: { body: record.messages[0]!.body },
      message_count: record.messages.length,
      readOnly: false,
      perma_url: `https://acme.reamaze.com/admin/conversations/${record.slug}`,
    });
    expect(body.author).toEqual({
      id: record.author.internalId,
      name: record.author.name,
      data: {},
      email: record.author.email,
      twitter: null,
      facebook: null,
      instagram: null,
      mobile: record.author.mobile,
      friendly_name: record.author.friendlyName,
      display_name: record.author.name,
    });
    expect(typeof body.author.id).toBe('number');
    expect(body.assignee).toMatchObject({ email: record.assignee!.email, name: record.assignee!.name, 'staff?': true, 'customer?': false });
    expect(body.category).toEqual({
      name: record.category.name,
      slug: record.category.slug,
      email: record.category.email,
      channel: record.category.channel,
      settings_display_html_email: '1',
    });
    expect(body.followers.map((f: any) => f.email)).toEqual(record.followers.map((f) => f.email));
    expect(body.followers[0]).toMatchObject({ 'staff?': false, 'customer?': true, 'bot?': false });
    for (const follower of body.followers) expect(Object.keys(follower)).toContain('staff?');
  });

  it('shows assignee null for unassigned conversations and a bot flag for bot assignees', async () => {
    const unassigned = big.store.conversations.find((c) => c.assignee === null)!;
    expect((await get(big, `/api/v1/conversations/${unassigned.slug}`)).body.assignee).toBeNull();
    const botManaged = big.store.conversations.find((c) => c.status === 7)!;
    expect((await get(big, `/api/v1/conversations/${botManaged.slug}`)).body.assignee).toMatchObject({ 'bot?': true, 'staff?': true });
  });

  it('last_customer_message is the customer side only; updated_at is any change', async () => {
    const record = sim.store.conversations.find((c) => c.messages.at(-1)!.user.kind === 'staff' && lastCustomerAt(c))!;
    const { body } = await get(sim, `/api/v1/conversations/${record.slug}`);
    const lastCustomer = record.messages.filter((m) => m.user.kind === 'customer').at(-1)!;
    expect(body.last_customer_message.body).toBe(lastCustomer.body);
    expect(Date.parse(body.last_customer_message.created_at)).toBe(lastCustomer.createdAt);
    expect(Date.parse(body.updated_at)).toBe(record.updatedAt);
    expect(Date.parse(body.updated_at)).toBeGreaterThan(Date.parse(body.last_customer_message.created_at));
    const outbound = sim.store.conversations.find((c) => lastCustomerAt(c) === null)!;
    expect((await get(sim, `/api/v1/conversations/${outbound.slug}`)).body).toMatchObject({ last_customer_message: null, origin: 16 });
  });
});

describe('ids and timestamps', () => {
  it('slugs are unique, URL-safe, and derived from the subject plus a short suffix', () => {
    const all = big.store.conversations;
    expect(new Set(all.map((c) => c.slug)).size).toBe(all.length);
    for (const c of all) {
      expect(c.slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*-[a-z0-9]{5}$/);
      const stem = c.subject.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 20);
      expect(c.slug.startsWith(stem.replace(/-+$/, ''))).toBe(true);
    }
  });

  it('writes every timestamp with milliseconds and the brand offset, at the right instant', async () => {
    const { items } = await walk(sim, '/api/v1/conversations', 'conversations', { filter: 'all' });
    for (const item of items) {
      const record = sim.store.conversation(item.slug)!;
      expect(item.created_at).toMatch(ISO_MINUS_5);
      expect(item.updated_at).toMatch(ISO_MINUS_5);
      expect(Date.parse(item.created_at)).toBe(record.createdAt);
      expect(Date.parse(item.updated_at)).toBe(record.updatedAt);
      if (item.last_customer_message) {
        expect(item.last_customer_message.created_at).toMatch(ISO_MINUS_5);
        expect(Date.parse(item.last_customer_message.created_at)).toBe(lastCustomerAt(record));
      }
      if (record.holdUntil !== null) expect(Date.parse(item.hold_until)).toBe(record.holdUntil);
    }
    // 15:00Z is 10:00 in UTC-05:00.
    const created = sim.createConversation();
    expect((await get(sim, `/api/v1/conversations/${created.slug}`)).body.created_at).toBe('2026-01-19T10:00:00.000-05:00');
  });

  it('follows the brand time zone option, and writes UTC as Z', async () => {
    for (const [utcOffsetMinutes, text] of [
      [330, '2026-01-19T20:30:00.000+05:30'],
      [0, '2026-01-19T15:00:00.000Z'],
      [-210, '2026-01-19T11:30:00.000-03:30'],
    ] as const) {
      const other = await startReamazeSimulator({ now: () => NOW, conversations: 20, utcOffsetMinutes });
      try {
        const created = other.createConversation();
        const { body } = await get(other, `/api/v1/conversations/${created.slug}`);
        expect(body.created_at).toBe(text);
        const first = other.store.conversations[0]!;
        expect(Date.parse((await get(other, `/api/v1/conversations/${first.slug}`)).body.updated_at)).toBe(first.updatedAt);
      } finally {
        await other.close();
      }
    }
  });
});

describe('codes', () => {
  it('maps world states to status codes 0-9 as documented', () => {
    const codes = new Set<number>();
    big.store.conversations.forEach((c, i) => {
      const w = big.store.world.conversations[i]!;
      codes.add(c.status);
      const allowed: Record<string, number[]> = {
        open: w.botManaged ? [7] : [0],
        pending: [1],
        snoozed: [5],
        closed: w.botManaged ? [8] : [2, 6],
        archived: [4],
        spam: [3, 9],
      };
      expect(allowed[w.state]).toContain(c.status);
      expect(c.holdUntil !== null).toBe(c.status === 5);
      if (c.status === 5) expect(c.holdUntil).toBeGreaterThan(NOW);
    });
    expect([...codes].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('uses channel codes from providers.md 3.3 and origin codes from the doc', async () => {
    const { body } = await get(big, '/api/v1/channels');
    const codes = body.channels.map((c: any) => c.channel).sort((a: number, b: number) => a - b);
    expect(codes).toEqual([1, 2, 3, 6, 6, 7, 8, 9, 15]);
    const origins = new Set(big.store.conversations.map((c) => c.origin));
    for (const origin of origins) expect([0, 1, 2, 3, 6, 7, 8, 9, 15, 16, 17]).toContain(origin);
    expect(origins.size).toBeGreaterThanOrEqual(10);
  });
});

describe('determinism', () => {
  it('the same seed gives the same data; another seed does not', async () => {
    const again = await startReamazeSimulator({ now: () => NOW, conversations: 60, port: 0 });
    const other = await startReamazeSimulator({ now: () => NOW, conversations: 60, seed: 2 });
    try {
      const a = await walk(sim, '/api/v1/conversations', 'conversations', { filter: 'all' });
      const b = await walk(again, '/api/v1/conversations', 'conversations', { filter: 'all' });
      // `sim` has had a conversation created above; compare the seeded ones.
      const seeded = new Set(again.store.conversations.map((c) => c.slug));
      expect(a.items.filter((c: any) => seeded.has(c.slug))).toEqual(b.items);
      expect(again.credentials).toEqual(sim.credentials);
      const c = await walk(other, '/api/v1/conversations', 'conversations', { filter: 'all' });
      expect(c.items.map((x: any) => x.slug)).not.toEqual(b.items.map((x: any) => x.slug));
      expect(other.credentials.token).not.toBe(sim.credentials.token);
    } finally {
      await again.close();
      await other.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, pageCount, startSmall, walk } from './helpers.js';

let sim: Awaited<ReturnType<typeof startSmall>>;
beforeAll(async () => {
  sim = await startSmall();
});
afterAll(() => sim.close());

describe('GET /api/v1/staff', () => {
  it('lists staff (bots included) in storage order with paging fields and no id', async () => {
    const { status, body } = await get(sim, '/api/v1/staff');
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['page_size', 'page_count', 'total_count', 'staff']);
    const staff = sim.store.staff;
    expect(body).toMatchObject({ page_size: 30, page_count: pageCount(staff.length), total_count: staff.length });
    expect(body.staff.map((s: any) => s.email)).toEqual(staff.map((s) => s.email));
    for (const item of body.staff) {
      expect(Object.keys(item)).toEqual(['name', 'created_at', 'email', 'display_name', 'notification_email', 'role']);
      expect(item).not.toHaveProperty('id');
      expect(item.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}-05:00$/);
    }
    const admin = staff.findIndex((s) => s.isAdmin);
    const bot = staff.findIndex((s) => s.isBot);
    expect(body.staff[admin].role).toMatchObject({ name: 'Administrator', 'admin?': true });
    expect(body.staff[bot].role).toMatchObject({ name: 'AI Agent', 'admin?': false });
    expect((await get(sim, '/api/v1/staff', { page: '2' })).body.staff).toEqual([]);
  });

  it('the login email is a staff member’s', () => {
    expect(sim.store.staff.some((s) => s.email === sim.credentials.email && s.isAdmin)).toBe(true);
  });
});

describe('GET /api/v1/channels', () => {
  it('lists every channel unpaged as {total_count, channels}', async () => {
    const { body } = await get(sim, '/api/v1/channels');
    expect(Object.keys(body)).toEqual(['total_count', 'channels']);
    expect(body.total_count).toBe(sim.store.channels.length);
    expect(body.channels.map((c: any) => [c.slug, c.name, c.email, c.channel, c.visibility])).toEqual(
      sim.store.channels.map((c) => [c.slug, c.name, c.email, c.channel, c.visibility]),
    );
    expect(body.channels[0].brand).toEqual({ name: 'acme', url: 'https://acme.reamaze.com' });
  });

  it('GET /channels/{slug} returns one channel, 404 for an unknown one', async () => {
    const channel = sim.store.channels[1]!;
    const one = await get(sim, `/api/v1/channels/${channel.slug}`);
    const list = await get(sim, '/api/v1/channels');
    expect(one.body).toEqual(list.body.channels[1]);
    const missing = await get(sim, '/api/v1/channels/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'Not Found' });
  });

  it('every conversation category is one of the channels', async () => {
    const { body } = await get(sim, '/api/v1/channels');
    const known = new Set(body.channels.map((c: any) => c.slug));
    for (const c of sim.store.conversations) expect(known.has(c.category.slug)).toBe(true);
  });
});

describe('GET /api/v1/contacts', () => {
  it('pages contacts 30 at a time with a string-or-null SSO id and a numeric _id', async () => {
    const contacts = sim.store.contacts;
    expect(contacts.length).toBeGreaterThan(30);
    const { items, pages } = await walk(sim, '/api/v1/contacts', 'contacts');
    expect(pages[0]).toMatchObject({ page_size: 30, page_count: pageCount(contacts.length), total_count: contacts.length });
    expect(items.map((c: any) => c._id)).toEqual(contacts.map((c) => c.internalId));
    expect(items.map((c: any) => c.id)).toEqual(contacts.map((c) => c.ssoId));
    expect(items.some((c: any) => c.id === null)).toBe(true);
    expect(items.some((c: any) => typeof c.id === 'string')).toBe(true);
    expect(Object.keys(items[0])).toEqual([
      'name', 'data', 'created_at', 'updated_at', 'email', 'twitter', 'facebook', 'instagram', 'mobile',
      'friendly_name', 'id', '_id', 'notes',
    ]);
  });

  it('a conversation author’s id is the contact’s _id', async () => {
    const record = sim.store.conversations[0]!;
    const { body } = await get(sim, `/api/v1/conversations/${record.slug}`);
    const { items } = await walk(sim, '/api/v1/contacts', 'contacts');
    const contact = items.find((c: any) => c._id === body.author.id);
    expect(contact).toMatchObject({ email: record.author.email, name: record.author.name });
  });
});

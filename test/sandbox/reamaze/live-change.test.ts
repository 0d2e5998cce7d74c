import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { byChanged, byCreated, byUpdated, get, lastCustomerAt, slugs, startSmall, walk } from './helpers.js';

let sim: Awaited<ReturnType<typeof startSmall>>;
beforeEach(async () => {
  await sim?.close();
  sim = await startSmall();
  sim.clock.advance(60_000);
});
afterAll(() => sim.close());

const firstPage = async (query: Record<string, string>) => slugs((await get(sim, '/api/v1/conversations', query)).body.conversations);
const control = (action: string, body: unknown) =>
  fetch(`${sim.url}/__sandbox/change/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('addReply', () => {
  it('a customer reply moves the conversation to the head of sort=changed and sort=updated', async () => {
    const target = byChanged(sim.store.conversations.filter((c) => c.status !== 4)).at(-1)!;
    const before = target.messages.length;
    const returned = sim.addReply(target.slug, { from: 'customer', body: 'Still broken.' });
    expect(returned).toBe(target);
    expect((await firstPage({ sort: 'changed' }))[0]).toBe(target.slug);
    expect((await firstPage({ sort: 'updated' }))[0]).toBe(target.slug);
    const { body } = await get(sim, `/api/v1/conversations/${target.slug}`);
    expect(body.updated_at).toBe('2026-01-19T10:01:00.000-05:00');
    expect(body.last_customer_message).toEqual({ body: 'Still broken.', created_at: '2026-01-19T10:01:00.000-05:00' });
    expect(body.message_count).toBe(before + 1);
    const messages = await walk(sim, `/api/v1/conversations/${target.slug}/messages`, 'messages');
    expect(messages.items.at(-1)).toMatchObject({ body: 'Still broken.', visibility: 0, user: { 'staff?': false } });
  });

  it('a staff reply bumps sort=changed only; last_customer_message stays', async () => {
    const target = byUpdated(sim.store.conversations.filter((c) => c.status !== 4 && lastCustomerAt(c) !== null)).at(-1)!;
    const lastCustomer = lastCustomerAt(target);
    const updatedOrder = await walk(sim, '/api/v1/conversations', 'conversations', { sort: 'updated' });
    sim.addReply(target.slug, { from: 'staff', body: 'On it.' });
    expect((await firstPage({ sort: 'changed' }))[0]).toBe(target.slug);
    const after = await walk(sim, '/api/v1/conversations', 'conversations', { sort: 'updated' });
    expect(slugs(after.items)).toEqual(slugs(updatedOrder.items));
    const { body } = await get(sim, `/api/v1/conversations/${target.slug}`);
    expect(Date.parse(body.last_customer_message.created_at)).toBe(lastCustomer);
    expect(body.followers.map((f: any) => f.email)).toContain(target.assignee?.email ?? sim.store.staff.find((s) => s.isAdmin)!.email);
  });

  it('a staff note has visibility 1; a reply may carry a status change', async () => {
    const target = sim.store.conversations.find((c) => c.status === 0)!;
    sim.addReply(target.slug, { from: 'staff', note: true, body: 'internal' });
    sim.clock.advance(1000);
    sim.addReply(target.slug, { from: 'staff', body: 'Done!', status: 2 });
    const { items } = await walk(sim, `/api/v1/conversations/${target.slug}/messages`, 'messages');
    expect(items.slice(-2).map((m: any) => [m.body, m.visibility, m.user['staff?']])).toEqual([
      ['internal', 1, true],
      ['Done!', 0, true],
    ]);
    expect((await get(sim, `/api/v1/conversations/${target.slug}`)).body.status).toBe(2);
    expect(await firstPage({ filter: 'open' })).not.toContain(target.slug);
  });

  it('page-number pagination shifts under change exactly as the order says', async () => {
    const page1 = await firstPage({ sort: 'changed', filter: 'all' });
    const onPage2 = byChanged(sim.store.conversations)[40]!;
    sim.addReply(onPage2.slug, { from: 'customer' });
    const expected = byChanged(sim.store.conversations);
    expect(expected[0]).toBe(onPage2);
    const page2 = slugs((await get(sim, '/api/v1/conversations', { sort: 'changed', filter: 'all', page: '2' })).body.conversations);
    expect(page2).toEqual(slugs(expected.slice(30, 60)));
    // The last row of page 1 slid onto page 2: a reader sees it twice.
    expect(page2[0]).toBe(page1[29]);
  });
});

describe('createConversation', () => {
  it('a new conversation heads the default sort and raises total_count', async () => {
    const before = (await get(sim, '/api/v1/conversations')).body.total_count;
    const created = sim.createConversation({ subject: 'Refund for order #777', tags: ['refund'], data: { order_id: '777' } });
    expect(created.slug).toMatch(/^refund-for-order-777-[a-z0-9]{5}$/);
    const { body } = await get(sim, '/api/v1/conversations');
    expect(body.total_count).toBe(before + 1);
    expect(body.conversations[0]).toMatchObject({
      slug: created.slug,
      status: 0,
      tag_list: ['refund'],
      data: { order_id: '777' },
      assignee: null,
      message_count: 1,
      created_at: '2026-01-19T10:01:00.000-05:00',
      updated_at: '2026-01-19T10:01:00.000-05:00',
    });
    expect(body.conversations[0].last_customer_message.created_at).toBe('2026-01-19T10:01:00.000-05:00');
    expect(slugs((await get(sim, '/api/v1/conversations', { 'data[order_id]': '777' })).body.conversations)).toContain(created.slug);
  });

  it('conversations created at the same instant come back in storage order', async () => {
    const a = sim.createConversation();
    const b = sim.createConversation();
    expect((await firstPage({})).slice(0, 2)).toEqual([a.slug, b.slug]);
    expect((await firstPage({ sort: 'changed' })).slice(0, 2)).toEqual([a.slug, b.slug]);
    expect(slugs(byCreated(sim.store.conversations)).slice(0, 2)).toEqual([a.slug, b.slug]);
  });

  it('works through the control API and answers with the wire conversation', async () => {
    const channel = sim.store.channels[0]!;
    const customer = sim.store.contacts.find((c) => c.email)!;
    const response = await control('conversation', { subject: 'Hello there', category: channel.slug, customerEmail: customer.email, body: 'Hi!' });
    expect(response.status).toBe(201);
    const created = await response.json();
    expect(created).toMatchObject({ subject: 'Hello there', category: { slug: channel.slug }, author: { email: customer.email }, message: { body: 'Hi!' } });
    expect((await get(sim, `/api/v1/conversations/${created.slug}`)).body).toEqual(created);
    const bad = await control('conversation', { category: 'nope' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/unknown channel/);
  });
});

describe('setStatus', () => {
  it('archiving removes a conversation from the default and open sets and bumps sort=changed', async () => {
    const target = byCreated(sim.store.conversations.filter((c) => c.status === 0))[0]!;
    expect(await firstPage({ filter: 'open' })).toContain(target.slug);
    const before = (await get(sim, '/api/v1/conversations')).body.total_count;
    sim.setStatus(target.slug, 4);
    expect(await firstPage({ filter: 'open' })).not.toContain(target.slug);
    expect((await get(sim, '/api/v1/conversations')).body.total_count).toBe(before - 1);
    expect(await firstPage({ filter: 'archived' })).toContain(target.slug);
    expect((await firstPage({ filter: 'all', sort: 'changed' }))[0]).toBe(target.slug);
  });

  it('the same status again changes nothing, so updated_at stays', async () => {
    const target = sim.store.conversations.find((c) => c.status === 2)!;
    const updatedAt = target.updatedAt;
    sim.setStatus(target.slug, 2);
    expect(target.updatedAt).toBe(updatedAt);
  });

  it('on hold (5) sets hold_until; leaving it clears hold_until', async () => {
    const target = sim.store.conversations.find((c) => c.status === 0)!;
    const response = await control('status', { slug: target.slug, status: 5, holdUntil: '2026-01-20T09:00:00.000-05:00' });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ status: 5, hold_until: '2026-01-20T09:00:00.000-05:00' });
    sim.setStatus(target.slug, 0);
    expect((await get(sim, `/api/v1/conversations/${target.slug}`)).body).toMatchObject({ status: 0, hold_until: null });
  });

  it('the control API refuses unknown slugs and codes', async () => {
    const slug = sim.store.conversations[0]!.slug;
    for (const [action, body, message] of [
      ['status', { slug, status: 12 }, /status must be one of 0..9/],
      ['status', { slug: 'nope', status: 1 }, /unknown conversation slug/],
      ['reply', { slug: 'nope', from: 'customer' }, /unknown conversation slug/],
      ['reply', { slug, from: 'robot' }, /`from` must be/],
    ] as const) {
      const response = await control(action, body);
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(message);
    }
    const reply = await control('reply', { slug, from: 'customer', body: 'via control' });
    expect(reply.status).toBe(201);
    expect((await reply.json()).last_customer_message.body).toBe('via control');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { ChatwootSimulator } from '../../../src/sandbox/chatwoot/index.js';
import { byLastActivityDesc, get, ids, NOW, payloadIds, startSmall } from './helpers.js';

let sim: ChatwootSimulator;
afterEach(() => sim.close());

/** A clock the test moves by hand, so live changes happen at known times. */
function manualClock(start = NOW) {
  let now = start;
  return { now: () => now, tick: (ms = 1000) => (now += ms) };
}

describe('Chatwoot simulator: pagination', () => {
  it('walks every conversation exactly once, in order, 25 a page with no page metadata', async () => {
    sim = await startSmall({ conversations: 70 });
    const expected = ids(byLastActivityDesc(sim.store.conversations));
    const seen: number[] = [];
    const sizes: number[] = [];
    for (let page = 1; page <= 4; page++) {
      const answer = await get(sim, `conversations?status=all&page=${page}`);
      expect(Object.keys(answer.json.data.meta).sort()).toEqual(['all_count', 'assigned_count', 'mine_count', 'unassigned_count']);
      sizes.push(answer.json.data.payload.length);
      seen.push(...payloadIds(answer));
    }
    expect(sizes).toEqual([25, 25, 20, 0]);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(70);
  });

  it('takes the page size from the pageSize option (CONVERSATION_RESULTS_PER_PAGE)', async () => {
    sim = await startSmall({ pageSize: 10 });
    const expected = ids(byLastActivityDesc(sim.store.conversations));
    expect(payloadIds(await get(sim, 'conversations?status=all&page=2'))).toEqual(expected.slice(10, 20));
  });

  it('returns conversations with equal last activity in storage order, which is not id order', async () => {
    sim = await startSmall({ conversations: 200 });
    const all = sim.store.conversations;
    const listed: number[] = [];
    for (let page = 1; page <= 8; page++) listed.push(...payloadIds(await get(sim, `conversations?status=all&page=${page}`)));
    const groups = new Map<number, number[]>();
    for (const c of all) groups.set(c.lastActivityAt, [...(groups.get(c.lastActivityAt) ?? []), c.displayId]);
    const tied = [...groups.values()].filter((g) => g.length > 1);
    expect(tied.length).toBeGreaterThan(3);
    let notIdOrder = 0;
    for (const group of tied) {
      const inResponse = listed.filter((id) => group.includes(id));
      expect(inResponse).toEqual(group); // storage order, as `store.conversations` holds it
      if (inResponse.join() !== [...group].sort((a, b) => a - b).join()) notIdOrder++;
    }
    expect(notIdOrder).toBeGreaterThan(0);
  });

  it('moves a conversation that gets a reply to the head of the default order, shifting later pages', async () => {
    const clock = manualClock();
    sim = await startSmall({ conversations: 80, now: clock.now });
    const page1 = payloadIds(await get(sim, 'conversations?status=all'));
    const target = payloadIds(await get(sim, 'conversations?status=all&page=3'))[4]!;
    clock.tick();
    const { conversation, message } = sim.addReply(target, { from: 'agent', body: 'On it.' });
    expect(conversation.lastActivityAt).toBe(clock.now());
    expect(message.id).toBeGreaterThan(Math.max(...sim.store.messages.slice(0, -1).map((m) => m.id)));
    const fresh1 = payloadIds(await get(sim, 'conversations?status=all'));
    expect(fresh1[0]).toBe(target);
    expect(fresh1.slice(1)).toEqual(page1.slice(0, 24));
    // The row that was last on page 1 is now first on page 2: a client paging on sees it twice.
    expect(payloadIds(await get(sim, 'conversations?status=all&page=2'))[0]).toBe(page1[24]);
    const show = await get(sim, `conversations/${target}`);
    expect(show.json.last_activity_at).toBe(Math.floor(clock.now() / 1000));
    expect(show.json.timestamp).toBe(Math.floor(clock.now() / 1000));
    expect(show.json.updated_at).toBe(clock.now() / 1000);
    expect(show.json.messages[0]).toMatchObject({ id: message.id, content: 'On it.', message_type: 1, sender_type: 'User' });
  });

  it('a contact reply reopens a resolved conversation, starts the wait and raises unread', async () => {
    const clock = manualClock();
    sim = await startSmall({ now: clock.now });
    const resolved = sim.store.conversations.find((c) => c.status === 'resolved' && c.waitingSince === null)!;
    clock.tick(5000);
    await fetch(`${sim.url}/__sandbox/change/reply`, { method: 'POST', body: JSON.stringify({ id: resolved.displayId, from: 'contact' }) });
    const show = await get(sim, `conversations/${resolved.displayId}`);
    expect(show.json).toMatchObject({ status: 'open', waiting_since: Math.floor(clock.now() / 1000), unread_count: 1 });
    expect(show.json.messages[0]).toMatchObject({ message_type: 0, sender_type: 'Contact', sender_id: resolved.contactId });
    const page1 = payloadIds(await get(sim, 'conversations'));
    expect(page1[0]).toBe(resolved.displayId);
  });

  it('a status change makes a row leave a filtered set, shifting the next page up', async () => {
    const clock = manualClock();
    sim = await startSmall({ conversations: 150, now: clock.now });
    const page1 = payloadIds(await get(sim, 'conversations'));
    const page2 = payloadIds(await get(sim, 'conversations?page=2'));
    expect(page2.length).toBe(25);
    clock.tick();
    const response = await fetch(`${sim.url}/__sandbox/change/status`, {
      method: 'POST',
      body: JSON.stringify({ id: page1[3], status: 'resolved' }),
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { status: string }).status).toBe('resolved');
    const fresh2 = payloadIds(await get(sim, 'conversations?page=2'));
    // The first row of the old page 2 moved to page 1: a client paging on skips it.
    expect(fresh2.slice(0, 24)).toEqual(page2.slice(1));
    expect(payloadIds(await get(sim, 'conversations'))).toEqual([...page1.filter((id) => id !== page1[3]), page2[0]]);
    // The activity message moved it to the head of status=all.
    expect(payloadIds(await get(sim, 'conversations?status=all'))[0]).toBe(page1[3]);
    const last = (await get(sim, `conversations/${page1[3]}/messages`)).json.payload.at(-1);
    expect(last).toMatchObject({ message_type: 2, content: expect.stringMatching(/^Conversation was marked resolved by /) });
  });

  it('changes the status in place when asked for no activity message', async () => {
    sim = await startSmall();
    const target = sim.store.conversations.find((c) => c.status === 'open')!;
    const activity = target.lastActivityAt;
    sim.setStatus(target.displayId, 'snoozed', { snoozedUntil: NOW + 3_600_000, activityMessage: false });
    const show = await get(sim, `conversations/${target.displayId}`);
    expect(show.json).toMatchObject({ status: 'snoozed', snoozed_until: new Date(NOW + 3_600_000).toISOString(), last_activity_at: Math.floor(activity / 1000) });
  });

  it('adds a created conversation at the head with the next display id', async () => {
    const clock = manualClock();
    sim = await startSmall({ now: clock.now });
    const before = (await get(sim, 'conversations')).json.data.meta.all_count;
    clock.tick();
    const response = await fetch(`${sim.url}/__sandbox/change/conversation`, { method: 'POST', body: '{}' });
    const created = (await response.json()) as { id: number; status: string };
    expect(created).toMatchObject({ id: 61, status: 'open' });
    const listed = await get(sim, 'conversations');
    expect(payloadIds(listed)[0]).toBe(61);
    expect(listed.json.data.meta.all_count).toBe(before + 1);
    const direct = sim.createConversation({ status: 'pending' });
    expect(direct.displayId).toBe(62);
    expect(payloadIds(await get(sim, 'conversations?status=pending'))[0]).toBe(62);
  });

  it('answers bad live-change requests with 400', async () => {
    sim = await startSmall();
    const post = (action: string, body: unknown) => fetch(`${sim.url}/__sandbox/change/${action}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('reply', { id: 999, from: 'contact' })).status).toBe(400);
    expect((await post('reply', { id: 1, from: 'robot' })).status).toBe(400);
    expect((await post('status', { id: 1, status: 'closed' })).status).toBe(400);
    expect((await post('conversation', { inboxId: 424242 })).status).toBe(400);
  });
});

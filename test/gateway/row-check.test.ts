import { describe, expect, it } from 'vitest';
import type { FilterPart } from '../../src/domain/filter.js';
import type { Conversation } from '../../src/domain/model.js';
import { createOrderGuard, RowOrderError } from '../../src/conversations/order-guard.js';
import type { FilterPlan, ListedConversation } from '../../src/providers/adapter.js';
import { createRowCheck } from '../../src/conversations/row-check.js';

/** A conversation with only what these checks read; `raw.channel` absent means "the list left it out". */
function conversation(nativeId: string, seconds: number, fields: Partial<Conversation> = {}): Conversation {
  return {
    sourceId: 's', provider: 'carrotquest', nativeId, raw: { id: nativeId }, subject: null, status: 'OPEN', nativeStatus: 'open',
    closed: false, createdAt: seconds * 1000, lastUpdateMicros: seconds * 1_000_000, lastUserReplyAt: null, delayedUntil: null,
    tags: [], important: null, answered: null, lastReplyFrom: null, channelKind: null, priority: null, partsCount: null,
    unreadCount: null, botManaged: false, assigneeId: null, lastAdminId: null, userId: null, channelId: null, lastPart: null,
    lastReply: null, url: null, ...fields,
  };
}
const row = (c: Conversation): ListedConversation => ({ conversation: c, hint: c.nativeId });

describe('the order guard', () => {
  it('lets rows through newest first, equal times in any order, and rows read again', () => {
    const admit = createOrderGuard('s');
    admit([row(conversation('a', 30)), row(conversation('b', 20)), row(conversation('c', 20))]);
    admit([row(conversation('c', 20)), row(conversation('d', 20)), row(conversation('b', 20)), row(conversation('e', 10))]);
    // A row read again keeps its place even when its time moved on meanwhile.
    admit([row(conversation('a', 99)), row(conversation('f', 5))]);
  });

  it('stops at a new row newer than one read before it, on the same page or a later one', () => {
    const samePage = createOrderGuard('s');
    expect(() => samePage([row(conversation('a', 30)), row(conversation('b', 20)), row(conversation('c', 25))])).toThrow(RowOrderError);
    const laterPage = createOrderGuard('s');
    laterPage([row(conversation('a', 30)), row(conversation('b', 20))]);
    expect(() => laterPage([row(conversation('c', 21))])).toThrow(expect.objectContaining({ code: 'UPSTREAM_BAD_RESPONSE' }));
  });
});

describe('the row check', () => {
  const filter = { tags: { untagged: true }, channels: { ids: ['7', '8'] } };
  const unknownChannel = (c: Conversation): FilterPart[] => ((c.raw as { channel?: unknown }).channel === undefined ? ['channels'] : []);
  const plan: FilterPlan = { decisions: [], native: null, unknownParts: unknownChannel };

  it('re-checks a NATIVE part and rejects what the provider let through, reporting the leak', () => {
    const leaks: string[] = [];
    const check = createRowCheck({ sourceId: 's', getConversations: async () => [] }, filter, plan, {
      pushedDown: ['tags'],
      appliedLocally: [],
      onLeak: (c) => leaks.push(c.nativeId),
    });
    expect(check.accepts(conversation('untagged', 1))).toBe(true);
    expect(check.accepts(conversation('tagged', 1, { tags: ['vip'] }))).toBe(false);
    expect(leaks).toEqual(['tagged']);
  });

  it('never re-checks search, and trusts the provider on a NATIVE part the row cannot answer', () => {
    const check = createRowCheck({ sourceId: 's', getConversations: async () => [] }, { ...filter, search: 'refund' }, plan, {
      pushedDown: ['search', 'channels'],
      appliedLocally: [],
    });
    expect(check.accepts(conversation('no-channel-key', 1))).toBe(true);
    const known = conversation('known', 1, { raw: { channel: { id: 9 } }, channelId: '9' });
    expect(check.accepts(known)).toBe(false);
  });

  it('reads in full the rows that cannot answer a LOCAL part, in one batch, keeping the list order key', async () => {
    const calls: string[][] = [];
    const full = (id: string, channelId: string | null) => conversation(id, 500, { raw: { channel: channelId && { id: channelId } }, channelId });
    const source = {
      sourceId: 's',
      getConversations: async (ids: readonly string[]) => {
        calls.push([...ids]);
        return ids.map((id) => (id === 'gone' ? null : { conversation: full(id, id === 'b' ? '7' : null), included: { users: [], admins: [], channels: [], parts: [] } }));
      },
    };
    const check = createRowCheck(source, filter, plan, { pushedDown: [], appliedLocally: ['channels'] });
    const listed = [conversation('a', 3), conversation('k', 2, { raw: { channel: null } }), conversation('b', 2), conversation('gone', 1)];
    const rows = await check.complete(listed.map(row), {} as never);
    expect(calls).toEqual([['a', 'b', 'gone']]);
    expect(rows.map((r) => [r.conversation.nativeId, r.conversation.channelId, r.conversation.lastUpdateMicros])).toEqual([
      ['a', null, 3_000_000],
      ['k', null, 2_000_000],
      ['b', '7', 2_000_000],
    ]);
    expect(rows.map((r) => check.accepts(r.conversation))).toEqual([false, false, true]);
  });

  it('fails the source openly when even the full conversation cannot answer a LOCAL part', async () => {
    const source = {
      sourceId: 's',
      getConversations: async (ids: readonly string[]) =>
        ids.map((id) => ({ conversation: conversation(id, 1), included: { users: [], admins: [], channels: [], parts: [] } })),
    };
    const check = createRowCheck(source, filter, plan, { pushedDown: [], appliedLocally: ['channels'] });
    await expect(check.complete([row(conversation('a', 1))], {} as never)).rejects.toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
  });
});

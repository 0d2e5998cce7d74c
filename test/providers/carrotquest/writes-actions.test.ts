import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/http/errors.js';
import { carrotquestProvider } from '../../../src/providers/carrotquest/declaration.js';
import { WriteRefused } from '../../../src/providers/write-contract.js';
import type { CarrotquestSimulatorOptions } from '../../../src/sandbox/carrotquest/index.js';
import { formOf, NOW, openConversation, startRig, type Rig } from './writes-rig.js';

let rigs: Rig[] = [];
async function rig(options: CarrotquestSimulatorOptions = {}): Promise<Rig> {
  const r = await startRig(options);
  rigs.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(rigs.map((r) => r.close()));
  rigs = [];
});

const calls = (r: Rig) => r.sent.map((s) => [s.method, s.path.split('?')[0], s.method === 'GET' ? undefined : formOf(s.body)]);

describe('declaration', () => {
  it('declares only the documented actions and an admin identity', () => {
    expect(carrotquestProvider.writes?.actions).toEqual(['REPLY', 'NOTE', 'CLOSE', 'ASSIGN', 'UNASSIGN', 'TAG', 'UNTAG']);
    expect(carrotquestProvider.writes?.actAsSchema.safeParse({ adminId: '24601' }).success).toBe(true);
    expect(carrotquestProvider.writes?.actAsSchema.safeParse({ adminId: 'default_admin' }).success).toBe(true);
    expect(carrotquestProvider.writes?.actAsSchema.safeParse({ adminId: 'maks' }).success).toBe(false);
  });
});

describe('setStatus', () => {
  it('closes with one POST naming the admin; a second close is not a change', async () => {
    const r = await rig();
    const c = openConversation(r.sim);
    r.clock.now = NOW + 5_000;
    const result = await r.writer.setStatus(c.id, { status: 'CLOSED' }, r.actor, {});
    expect(calls(r)).toEqual([
      ['POST', `/conversations/${c.id}/close`, { from_admin: r.actor.adminId }],
      ['GET', `/conversations/${c.id}`, undefined],
    ]);
    expect(c.closed).toBe(true);
    expect(c.parts.at(-1)).toMatchObject({ type: 'closed', from: { kind: 'admin', id: r.actor.adminId } });
    expect(result).toMatchObject({ changed: true, detail: { conversation: { status: 'CLOSED', closed: true, lastUpdateMicros: c.parts.at(-1)!.atMicros } } });

    const parts = c.parts.length;
    const again = await r.writer.setStatus(c.id, { status: 'CLOSED' }, r.actor, {});
    expect(again.changed).toBe(false);
    expect(c.parts.length).toBe(parts);
  });

  it.each([{ status: 'OPEN' }, { status: 'PENDING' }, { status: 'SNOOZED', until: null }] as const)('refuses $status without a call', async (target) => {
    const r = await rig();
    const error = await r.writer.setStatus(openConversation(r.sim).id, target, r.actor, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteRefused);
    expect(error).toMatchObject({ reason: 'INVALID_STATUS', field: 'status' });
    expect(r.sent).toHaveLength(0);
  });

  it('a 5xx after commit is maybeApplied and the close is made once', async () => {
    const r = await rig();
    const c = openConversation(r.sim);
    r.sim.addFault({ kind: 'error', status: 502, count: 1, method: 'POST', afterCommit: true });
    const error = (await r.writer.setStatus(c.id, { status: 'CLOSED' }, r.actor, {}).catch((e: unknown) => e)) as SourceError;
    expect(error.details.maybeApplied).toBe(true);
    expect(r.sent).toHaveLength(1);
    expect(c.closed).toBe(true);
  });
});

describe('assign', () => {
  it('assigns with `admin` and `from_admin`, then reports the same admin as no change, then unassigns with an empty admin', async () => {
    const r = await rig();
    const c = openConversation(r.sim);
    const target = r.sim.store.admins.find((a) => a.id !== c.assigneeId && a.id !== r.actor.adminId)!.id;
    const result = await r.writer.assign(c.id, target, r.actor, {});
    expect(calls(r)[0]).toEqual(['POST', `/conversations/${c.id}/assign`, { admin: target, from_admin: r.actor.adminId }]);
    expect(c.assigneeId).toBe(target);
    expect(result).toMatchObject({ changed: true, detail: { conversation: { assigneeId: target } } });

    expect((await r.writer.assign(c.id, target, r.actor, {})).changed).toBe(false);

    r.sent.length = 0;
    const cleared = await r.writer.assign(c.id, null, r.actor, {});
    expect(calls(r)[0]).toEqual(['POST', `/conversations/${c.id}/assign`, { admin: '', from_admin: r.actor.adminId }]);
    expect(c.assigneeId).toBeNull();
    expect(cleared).toMatchObject({ changed: true, detail: { conversation: { assigneeId: null } } });
  });

  it('an admin the app does not know is WriteRefused UNKNOWN_ADMIN on assigneeId', async () => {
    const r = await rig();
    const c = openConversation(r.sim);
    const assignee = c.assigneeId;
    await expect(r.writer.assign(c.id, '999999999', r.actor, {})).rejects.toMatchObject({ reason: 'UNKNOWN_ADMIN', field: 'assigneeId' });
    await expect(r.writer.assign(c.id, 'maks', r.actor, {})).rejects.toMatchObject({ reason: 'UNKNOWN_ADMIN', field: 'assigneeId' });
    expect(r.sent).toHaveLength(1);
    expect(c.assigneeId).toBe(assignee);
  });
});

describe('updateTags', () => {
  it('adds with POST and removes with DELETE, one call per tag, then reads the conversation once', async () => {
    const r = await rig();
    const c = openConversation(r.sim);
    r.sim.store.conversations.find((x) => x === c)!.tags.push('old');
    const result = await r.writer.updateTags(c.id, { add: ['vip', 'billing-2'], remove: ['old'] }, r.actor, {});
    expect(calls(r)).toEqual([
      ['POST', `/conversations/${c.id}/tag`, { tag: 'vip', from_admin: r.actor.adminId }],
      ['POST', `/conversations/${c.id}/tag`, { tag: 'billing-2', from_admin: r.actor.adminId }],
      ['DELETE', `/conversations/${c.id}/tag`, { tag: 'old', from_admin: r.actor.adminId }],
      ['GET', `/conversations/${c.id}`, undefined],
    ]);
    expect(c.tags).toEqual(expect.arrayContaining(['vip', 'billing-2']));
    expect(c.tags).not.toContain('old');
    expect(c.parts.slice(-3).map((p) => [p.type, p.tag])).toEqual([
      ['tag_added', 'vip'],
      ['tag_added', 'billing-2'],
      ['tag_deleted', 'old'],
    ]);
    expect(result.changed).toBe(true);
    expect(result.detail?.conversation.tags).toEqual(c.tags);
  });

  it('a tag already there, or one not there to remove, is no change rather than an error', async () => {
    const r = await rig();
    const c = openConversation(r.sim);
    c.tags.push('here');
    const parts = c.parts.length;
    const result = await r.writer.updateTags(c.id, { add: ['here'], remove: ['absent'] }, r.actor, {});
    expect(result.changed).toBe(false);
    expect(r.sent.filter((s) => s.method !== 'GET')).toHaveLength(2);
    expect(c.parts.length).toBe(parts);
  });

  it.each([
    ['a tag of 256 characters', { add: ['x'.repeat(256)], remove: [] }, 'add'],
    ['an empty tag', { add: [], remove: [''] }, 'remove'],
    ['a tag added and removed at once', { add: ['a'], remove: ['a'] }, 'remove'],
  ])('refuses %s without a call', async (_name, change, field) => {
    const r = await rig();
    await expect(r.writer.updateTags(openConversation(r.sim).id, change, r.actor, {})).rejects.toMatchObject({ reason: 'INVALID_TAG', field });
    expect(r.sent).toHaveLength(0);
  });

  it('a refusal after an earlier tag went through says the change may be partly made', async () => {
    const r = await rig();
    const c = openConversation(r.sim);
    // A 429 alone proves nothing was applied; the tag added before it was.
    r.sim.addFault({ kind: 'rateLimit', retryAfter: 30, count: 1, method: 'DELETE' });
    c.tags.push('old');
    const error = (await r.writer.updateTags(c.id, { add: ['new'], remove: ['old'] }, r.actor, {}).catch((e: unknown) => e)) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.details.maybeApplied).toBe(true);
    expect(c.tags).toContain('new');
  });
});

describe('identity and mark-read', () => {
  it('acts as the default admin when configured so', async () => {
    const r = await rig();
    const c = openConversation(r.sim);
    await r.writer.setStatus(c.id, { status: 'CLOSED' }, { adminId: 'default_admin' }, {});
    expect(formOf(r.sent[0]!.body)).toEqual({ from_admin: 'default_admin' });
    expect(c.parts.at(-1)!.from).toEqual({ kind: 'default_admin' });
  });

  it('refuses a write without a valid actor, before any call', async () => {
    const r = await rig();
    await expect(r.writer.setStatus(openConversation(r.sim).id, { status: 'CLOSED' }, {}, {})).rejects.toThrow(/actor/);
    expect(r.sent).toHaveLength(0);
  });

  it('mark-read is not offered: refused without a call', async () => {
    const r = await rig();
    expect(r.writer.actions.has('MARK_READ')).toBe(false);
    await expect(r.writer.markRead(openConversation(r.sim).id, r.actor, {})).rejects.toBeInstanceOf(WriteRefused);
    expect(r.sent).toHaveLength(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors/codes.js';
import { SourceError, UpstreamNotFound } from '../../../src/http/errors.js';
import { WriteRefused } from '../../../src/providers/write-contract.js';
import { calls, openConversation, failure, startRig, type WriteRig } from './write-setup.js';

let rig: WriteRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const HOUR = 3_600_000;
const path = (slug: string) => `/api/v1/conversations/${slug}`;

describe('Re:amaze writer: setStatus', () => {
  it('closes with one PUT of status 2 after one read, and maps the answer', async () => {
    rig = await startRig();
    const c = openConversation(rig.sim);
    rig.sim.resetRequests();
    const at = rig.clock.advance(HOUR);
    const result = await rig.writer.setStatus(c.slug, { status: 'CLOSED' }, rig.actor, {});
    expect(calls(rig.sim)).toEqual([`GET ${path(c.slug)}`, `PUT ${path(c.slug)}`]);
    expect(rig.sim.writes().map((w) => w.body)).toEqual([{ conversation: { status: 2 } }]);
    expect([c.status, c.updatedAt]).toEqual([2, at]);
    expect(result.changed).toBe(true);
    expect(result.detail?.conversation).toMatchObject({ nativeId: c.slug, status: 'CLOSED', nativeStatus: '2', lastUpdateMicros: at * 1000 });
  });

  it('does not write a status already in effect', async () => {
    rig = await startRig();
    const c = rig.sim.store.conversations.find((x) => x.status === 6)!;
    const result = await rig.writer.setStatus(c.slug, { status: 'CLOSED' }, rig.actor, {});
    expect(rig.sim.writes()).toEqual([]);
    expect([result.changed, result.detail?.conversation.status, c.status]).toEqual([false, 'CLOSED', 6]);
  });

  it('reopens with status 0', async () => {
    rig = await startRig();
    const c = rig.sim.store.conversations.find((x) => x.status === 2)!;
    const result = await rig.writer.setStatus(c.slug, { status: 'OPEN' }, rig.actor, {});
    expect(rig.sim.writes().map((w) => w.body)).toEqual([{ conversation: { status: 0 } }]);
    expect([c.status, result.detail?.conversation.status]).toEqual([0, 'OPEN']);
  });

  it('snoozes as On Hold (5) with hold_until; the same hold again writes nothing', async () => {
    rig = await startRig();
    const c = openConversation(rig.sim);
    const until = new Date(Date.UTC(2026, 0, 22, 9, 0, 0));
    const result = await rig.writer.setStatus(c.slug, { status: 'SNOOZED', until }, rig.actor, {});
    expect(rig.sim.writes().map((w) => w.body)).toEqual([{ conversation: { status: 5, hold_until: '2026-01-22T09:00:00.000Z' } }]);
    expect([c.status, c.holdUntil]).toEqual([5, until.getTime()]);
    expect(result.detail?.conversation).toMatchObject({ status: 'SNOOZED', delayedUntil: until.getTime() });
    const again = await rig.writer.setStatus(c.slug, { status: 'SNOOZED', until }, rig.actor, {});
    expect([again.changed, rig.sim.writes().length]).toEqual([false, 1]);
  });

  it.each([
    ['SNOOZED without an until', { status: 'SNOOZED', until: null }, 'until'],
    ['PENDING', { status: 'PENDING' }, 'status'],
  ] as const)('refuses %s without a call', async (_, target, field) => {
    rig = await startRig();
    const c = openConversation(rig.sim);
    rig.sim.resetRequests();
    const error = await failure(rig.writer.setStatus(c.slug, target, rig.actor, {}));
    expect(error).toBeInstanceOf(WriteRefused);
    expect(error).toMatchObject({ reason: 'INVALID_STATUS', field });
    expect(rig.sim.requests()).toEqual([]);
  });

  it('an unknown conversation is UpstreamNotFound', async () => {
    rig = await startRig();
    expect(await failure(rig.writer.setStatus('no-such-slug', { status: 'CLOSED' }, rig.actor, {}))).toBeInstanceOf(UpstreamNotFound);
  });

  it('a 5xx after commit is maybeApplied, sent once, and the change is made', async () => {
    rig = await startRig({ faults: [{ kind: 'error', status: 500, count: 1, method: 'PUT', afterCommit: true }] });
    const c = openConversation(rig.sim);
    rig.sim.resetRequests();
    const error = await failure(rig.writer.setStatus(c.slug, { status: 'CLOSED' }, rig.actor, {}));
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).details.maybeApplied).toBe(true);
    expect(calls(rig.sim).filter((call) => call.startsWith('PUT'))).toHaveLength(1);
    expect(c.status).toBe(2);
  });
});

describe('Re:amaze writer: assign', () => {
  it('assigns by the staff email, reading the staff list once across calls', async () => {
    rig = await startRig();
    const [a, b] = [openConversation(rig.sim, 0), openConversation(rig.sim, 1)];
    const staff = rig.sim.store.staff.filter((s) => !s.isBot && s !== a.assignee && s !== b.assignee)[0]!;
    const result = await rig.writer.assign(a.slug, staff.email, rig.actor, {});
    await rig.writer.assign(b.slug, staff.email, rig.actor, {});
    expect(rig.sim.writes().map((w) => [w.path, w.body])).toEqual([
      [path(a.slug), { conversation: { assignee: { email: staff.email } } }],
      [path(b.slug), { conversation: { assignee: { email: staff.email } } }],
    ]);
    expect([a.assignee, b.assignee]).toEqual([staff, staff]);
    expect(calls(rig.sim).filter((call) => call.startsWith('GET /api/v1/staff'))).toHaveLength(1);
    expect([result.changed, result.detail?.conversation.assigneeId]).toEqual([true, staff.email]);
  });

  it('does not write when the admin is already the assignee', async () => {
    rig = await startRig();
    const c = rig.sim.store.conversations.find((x) => x.assignee && !x.assignee.isBot)!;
    const result = await rig.writer.assign(c.slug, c.assignee!.email, rig.actor, {});
    expect([result.changed, rig.sim.writes().length]).toEqual([false, 0]);
  });

  it('refuses an admin the brand does not have, and unassigning, without a write', async () => {
    rig = await startRig();
    const c = openConversation(rig.sim);
    const unknown = await failure(rig.writer.assign(c.slug, 'nobody@example.com', rig.actor, {}));
    expect(unknown).toMatchObject({ reason: 'UNKNOWN_ADMIN', field: 'assigneeId' });
    const unassign = await failure(rig.writer.assign(c.slug, null, rig.actor, {}));
    expect(unassign).toBeInstanceOf(WriteRefused);
    expect(rig.sim.writes()).toEqual([]);
  });
});

describe('Re:amaze writer: updateTags', () => {
  it('reads tag_list and PUTs the whole new set', async () => {
    rig = await startRig();
    const c = rig.sim.store.conversations.find((x) => x.tags.length >= 2 && !x.tags.includes('vip'))!;
    const [keep, drop] = c.tags as [string, string];
    const others = c.tags.slice(2);
    rig.sim.resetRequests();
    const result = await rig.writer.updateTags(c.slug, { add: ['vip'], remove: [drop.toUpperCase()] }, rig.actor, {});
    expect(calls(rig.sim)).toEqual([`GET ${path(c.slug)}`, `PUT ${path(c.slug)}`]);
    expect(rig.sim.writes().map((w) => w.body)).toEqual([{ conversation: { tag_list: [keep, ...others, 'vip'] } }]);
    expect(c.tags).toEqual([keep, ...others, 'vip']);
    expect([result.changed, result.detail?.conversation.tags]).toEqual([true, [keep, ...others, 'vip']]);
  });

  it('writes nothing when the tags are already so', async () => {
    rig = await startRig();
    const c = rig.sim.store.conversations.find((x) => x.tags.length >= 1)!;
    const result = await rig.writer.updateTags(c.slug, { add: [c.tags[0]!.toUpperCase()], remove: ['never-there'] }, rig.actor, {});
    expect([result.changed, rig.sim.writes().length]).toEqual([false, 0]);
  });

  it.each([['a,b'], [' ']])('refuses the tag %j without a call', async (tag) => {
    rig = await startRig();
    const c = openConversation(rig.sim);
    rig.sim.resetRequests();
    expect(await failure(rig.writer.updateTags(c.slug, { add: [tag], remove: [] }, rig.actor, {}))).toMatchObject({ reason: 'INVALID_TAG', field: 'add' });
    expect(rig.sim.requests()).toEqual([]);
  });

  it('under the merge reading, a removal the provider ignored is a coded error, never a success', async () => {
    rig = await startRig({ readings: { tagListUpdate: 'merge' } });
    const c = rig.sim.store.conversations.find((x) => x.tags.length >= 1)!;
    const error = await failure(rig.writer.updateTags(c.slug, { add: [], remove: [c.tags[0]!] }, rig.actor, {}));
    expect(error).toMatchObject({ code: ErrorCode.UPSTREAM_BAD_RESPONSE, details: { maybeApplied: true } });
  });
});

describe('Re:amaze writer: declared actions', () => {
  it('declares what the API documents, and refuses mark-read', async () => {
    rig = await startRig();
    expect([...rig.writer.actions].sort()).toEqual(['ASSIGN', 'CLOSE', 'NOTE', 'OPEN', 'REPLY', 'SNOOZE', 'TAG', 'UNTAG']);
    expect(await failure(rig.writer.markRead('x', rig.actor, {}))).toBeInstanceOf(WriteRefused);
    expect(rig.sim.requests()).toEqual([]);
  });
});

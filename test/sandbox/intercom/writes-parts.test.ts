import { afterEach, describe, expect, it } from 'vitest';
import { conversationWhere, expectError, firstListed, lastPart, oldest, post, shown, startWriteRig, WRITE_AT, type WriteRig } from './writes-setup.js';

/**
 * `POST /conversations/{id}/parts` as docs/providers/intercom.md section 10 describes it: close
 * (with an optional message), open, snooze until a future time, assign to an admin or a team
 * (`'0'` unassigns); each adds its part and moves `updated_at`; and the readings `repeatState`
 * and `unknownAdmin`.
 */

let rig: WriteRig;
afterEach(() => rig.sim.close());

const manage = (id: string, body: Record<string, unknown>) => post(rig.sim, `/conversations/${id}/parts`, body);
const HOUR = 3_600;

describe('Intercom simulator: state changes', () => {
  it('close: a close part (with the message as a paragraph), state closed, updated_at moved, as GET shows it', async () => {
    rig = await startWriteRig();
    const open = conversationWhere(rig.sim, (c) => c.state === 'open');
    const answer = await manage(open.id, { message_type: 'close', type: 'admin', admin_id: rig.adminId, body: 'Goodbye' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: open.id, state: 'closed', open: false, updated_at: WRITE_AT });
    expect(lastPart(answer.body)).toMatchObject({ part_type: 'close', body: '<p>Goodbye</p>', author: { type: 'admin', id: rig.adminId }, created_at: WRITE_AT });
    expect(answer.body).toEqual(await shown(rig.sim, open.id));
    expect(open.state).toBe('closed');
  });

  it('open: reopens a closed conversation with an open part', async () => {
    rig = await startWriteRig();
    const closed = conversationWhere(rig.sim, (c) => c.state === 'closed');
    const answer = await manage(closed.id, { message_type: 'open', admin_id: rig.adminId });
    expect(answer.body).toMatchObject({ state: 'open', open: true, snoozed_until: null });
    expect(lastPart(answer.body)).toMatchObject({ part_type: 'open', body: null });
  });

  it('snoozed: state snoozed until the time sent, still open, a snoozed part', async () => {
    rig = await startWriteRig();
    const open = conversationWhere(rig.sim, (c) => c.state === 'open');
    const until = WRITE_AT + HOUR;
    const answer = await manage(open.id, { message_type: 'snoozed', admin_id: rig.adminId, snoozed_until: until });
    expect(answer.body).toMatchObject({ state: 'snoozed', open: true, snoozed_until: until });
    expect(lastPart(answer.body)).toMatchObject({ part_type: 'snoozed' });
    expect(open.snoozed_until).toBe(until);
  });

  it('moves the conversation to the top of the list', async () => {
    rig = await startWriteRig();
    const target = oldest(rig.sim);
    await manage(target.id, { message_type: target.state === 'closed' ? 'open' : 'close', admin_id: rig.adminId });
    expect(await firstListed(rig.sim)).toBe(target.id);
  });

  it('announces closed, snoozed, and unsnoozed when a snoozed conversation is opened', async () => {
    rig = await startWriteRig();
    const open = conversationWhere(rig.sim, (c) => c.state === 'open');
    await manage(open.id, { message_type: 'snoozed', admin_id: rig.adminId, snoozed_until: WRITE_AT + HOUR });
    await manage(open.id, { message_type: 'open', admin_id: rig.adminId });
    await manage(open.id, { message_type: 'close', admin_id: rig.adminId });
    await manage(open.id, { message_type: 'open', admin_id: rig.adminId });
    expect(rig.changes.map((c) => c.topic)).toEqual(['conversation.admin.snoozed', 'conversation.admin.unsnoozed', 'conversation.admin.closed', 'conversation.admin.opened']);
  });
});

describe('Intercom simulator: assignment', () => {
  it('assigns an admin: admin_assignee_id set, an assignment part naming the assignee', async () => {
    rig = await startWriteRig();
    const target = conversationWhere(rig.sim, (c) => c.adminAssigneeId === null);
    const assignee = rig.sim.store.teammates()[3]!.id;
    const answer = await manage(target.id, { message_type: 'assignment', type: 'admin', admin_id: rig.adminId, assignee_id: assignee });
    expect(answer.body).toMatchObject({ admin_assignee_id: Number(assignee), updated_at: WRITE_AT });
    expect(lastPart(answer.body)).toMatchObject({ part_type: 'assignment', assigned_to: { type: 'admin', id: assignee }, author: { type: 'admin', id: rig.adminId } });
    expect(target.adminAssigneeId).toBe(assignee);
    expect(rig.changes.map((c) => c.topic)).toEqual(['conversation.admin.assigned']);
  });

  it("assignee_id '0' unassigns the admin", async () => {
    rig = await startWriteRig();
    const target = conversationWhere(rig.sim, (c) => c.adminAssigneeId !== null);
    const answer = await manage(target.id, { message_type: 'assignment', type: 'admin', admin_id: rig.adminId, assignee_id: '0' });
    expect(answer.body.admin_assignee_id).toBeNull();
    expect(lastPart(answer.body)).toMatchObject({ part_type: 'assignment', assigned_to: null });
    expect((await shown(rig.sim, target.id)).admin_assignee_id).toBeNull();
  });

  it('type team assigns the team and leaves the admin', async () => {
    rig = await startWriteRig();
    const target = conversationWhere(rig.sim, (c) => c.teamAssigneeId !== '2102' && c.adminAssigneeId !== null);
    const admin = target.adminAssigneeId;
    const answer = await manage(target.id, { message_type: 'assignment', type: 'team', admin_id: rig.adminId, assignee_id: 2102 });
    expect(answer.body).toMatchObject({ team_assignee_id: 2102, admin_assignee_id: Number(admin) });
    expect(lastPart(answer.body).assigned_to).toEqual({ type: 'team', id: '2102' });
  });

  it('unknownAdmin not_found (default): an unknown assignee is 404 and nothing changes', async () => {
    rig = await startWriteRig();
    const target = conversationWhere(rig.sim, (c) => c.adminAssigneeId === null);
    expectError(await manage(target.id, { message_type: 'assignment', type: 'admin', admin_id: rig.adminId, assignee_id: '42' }), 404, 'not_found');
    expect(target.adminAssigneeId).toBeNull();
    expect(rig.changes).toEqual([]);
  });

  it('unknownAdmin admin_not_found: an unknown admin assignee is 404 admin_not_found, an unknown team 404 not_found', async () => {
    rig = await startWriteRig({ unknownAdmin: 'admin_not_found' });
    const target = oldest(rig.sim);
    expectError(await manage(target.id, { message_type: 'assignment', type: 'admin', admin_id: rig.adminId, assignee_id: '42' }), 404, 'admin_not_found');
    expectError(await manage(target.id, { message_type: 'assignment', type: 'team', admin_id: rig.adminId, assignee_id: '42' }), 404, 'not_found');
  });

  it('unknownAdmin parameter_invalid: an unknown assignee or acting admin is 400', async () => {
    rig = await startWriteRig({ unknownAdmin: 'parameter_invalid' });
    const target = oldest(rig.sim);
    expectError(await manage(target.id, { message_type: 'assignment', type: 'admin', admin_id: rig.adminId, assignee_id: '42' }), 400, 'parameter_invalid');
    expectError(await manage(target.id, { message_type: 'close', admin_id: '42' }), 400, 'parameter_invalid');
  });
});

describe('reading repeatState', () => {
  it('adds-part (default): closing a closed conversation answers 200 with another close part and moves updated_at', async () => {
    rig = await startWriteRig();
    const closed = conversationWhere(rig.sim, (c) => c.state === 'closed');
    const before = closed.parts.length;
    const answer = await manage(closed.id, { message_type: 'close', admin_id: rig.adminId });
    expect(answer.status).toBe(200);
    expect(closed.parts).toHaveLength(before + 1);
    expect(answer.body.updated_at).toBe(WRITE_AT);
    expect(rig.changes).toHaveLength(1);
  });

  it('unchanged: the same close, open or assignee answers 200 with no part, no move and no announcement', async () => {
    rig = await startWriteRig({ repeatState: 'unchanged' });
    const closed = conversationWhere(rig.sim, (c) => c.state === 'closed');
    const open = conversationWhere(rig.sim, (c) => c.state === 'open' && c.adminAssigneeId !== null);
    const before = { closed: [closed.parts.length, closed.updated_at], open: [open.parts.length, open.updated_at] };
    expect((await manage(closed.id, { message_type: 'close', admin_id: rig.adminId })).status).toBe(200);
    expect((await manage(open.id, { message_type: 'open', admin_id: rig.adminId })).body.state).toBe('open');
    await manage(open.id, { message_type: 'assignment', type: 'admin', admin_id: rig.adminId, assignee_id: open.adminAssigneeId });
    expect({ closed: [closed.parts.length, closed.updated_at], open: [open.parts.length, open.updated_at] }).toEqual(before);
    expect(rig.changes).toEqual([]);
  });
});

describe('state errors', () => {
  it('a snooze time not in the future is 400 parameter_invalid; none at all is parameter_not_found', async () => {
    rig = await startWriteRig();
    const open = conversationWhere(rig.sim, (c) => c.state === 'open');
    expectError(await manage(open.id, { message_type: 'snoozed', admin_id: rig.adminId, snoozed_until: WRITE_AT - 1 }), 400, 'parameter_invalid');
    expectError(await manage(open.id, { message_type: 'snoozed', admin_id: rig.adminId, snoozed_until: WRITE_AT }), 400, 'parameter_invalid');
    expectError(await manage(open.id, { message_type: 'snoozed', admin_id: rig.adminId }), 400, 'parameter_not_found');
    expect(open.state).toBe('open');
  });

  it.each([
    ['no message_type', { admin_id: 'ME' }, 'parameter_not_found'],
    ['no admin_id', { message_type: 'open' }, 'parameter_not_found'],
    ['an unknown message_type', { message_type: 'pending', admin_id: 'ME' }, 'parameter_invalid'],
    ['an assignment without assignee_id', { message_type: 'assignment', type: 'admin', admin_id: 'ME' }, 'parameter_not_found'],
    ['an assignment to a type other than admin or team', { message_type: 'assignment', type: 'bot', admin_id: 'ME', assignee_id: '1' }, 'parameter_invalid'],
  ])('%s: 400 %s', async (_name, body, code) => {
    rig = await startWriteRig();
    const sent = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v === 'ME' ? rig.adminId : v]));
    expectError(await manage(oldest(rig.sim).id, sent), 400, code);
  });

  it('an unknown conversation is 404 not_found', async () => {
    rig = await startWriteRig();
    expectError(await manage('999999999', { message_type: 'open', admin_id: rig.adminId }), 404, 'not_found');
  });
});

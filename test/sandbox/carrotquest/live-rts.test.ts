import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { CarrotquestSimulator, CarrotquestSimulatorOptions, ConversationRecord } from '../../../src/sandbox/carrotquest/index.js';
import { NOW, startSmall } from './helpers.js';

/**
 * The Realtime Services as the research describes them (providers-live-and-write.md A.2;
 * developers.carrotquest.io/rts): `/websocket/<channels>?auth_token=`, frames
 * `{id, channel, message, tag, time}`, resume by `tag`/`time` from a bounded buffer, close
 * codes 3401/3403/3500; and every live change (control API, write endpoints) publishes.
 */

let sims: CarrotquestSimulator[] = [];
let sockets: WebSocket[] = [];
let clock = NOW;
async function start(options: CarrotquestSimulatorOptions = {}): Promise<CarrotquestSimulator> {
  clock = NOW;
  const sim = await startSmall({ now: () => clock, ...options });
  sims.push(sim);
  return sim;
}
afterEach(async () => {
  for (const ws of sockets) ws.terminate();
  sockets = [];
  await Promise.all(sims.map((sim) => sim.close()));
  sims = [];
});

interface Frame {
  raw: string;
  id: number;
  channel: string;
  /** Parsed with every integer of 16+ digits read as its exact string. */
  message: any;
  tag: string;
  time: string;
}

interface Client {
  frames: Frame[];
  /** Close code and whether the upgrade was refused with an HTTP status instead. */
  ended: Promise<{ code: number; status?: number }>;
  opened: Promise<boolean>;
}

/** Exact ids: 16+ digit integers become strings before JSON.parse sees them. */
const parseExact = (raw: string) => JSON.parse(raw.replace(/([:,[]\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"$2"'));

function connect(sim: CarrotquestSimulator, channels: string[], query: Record<string, string> = {}, token: string | null = sim.credentials.token): Client {
  const params = new URLSearchParams(query);
  if (token !== null) params.set('auth_token', token);
  const ws = new WebSocket(`${sim.rts.url}/websocket/${channels.join('/')}?${params.toString()}`);
  sockets.push(ws);
  const frames: Frame[] = [];
  ws.on('message', (data) => {
    const raw = data.toString();
    frames.push({ raw, ...parseExact(raw) });
  });
  const ended = new Promise<{ code: number; status?: number }>((resolve) => {
    ws.on('unexpected-response', (_request, response) => {
      resolve({ code: 0, status: response.statusCode });
      ws.terminate();
    });
    ws.on('close', (code) => resolve({ code }));
    ws.on('error', () => undefined);
  });
  const opened = new Promise<boolean>((resolve) => {
    ws.on('open', () => resolve(true));
    void ended.then(() => resolve(false));
  });
  return { frames, ended, opened };
}

async function framesOf(client: Client, count: number): Promise<Frame[]> {
  await vi.waitFor(() => expect(client.frames.length).toBeGreaterThanOrEqual(count));
  return client.frames;
}

const app = (sim: CarrotquestSimulator) => sim.credentials.appId;
const conversationChannels = (sim: CarrotquestSimulator) =>
  ['conversation', 'conversation_reply', 'conversation_assigned', 'conversation_closed', 'conversation_tag_added', 'conversation_tag_deleted', 'conversation_read'].map((name) => `${name}.${app(sim)}`);
const openOne = (sim: CarrotquestSimulator): ConversationRecord => sim.store.conversations.find((c) => !c.closed && c.assistant_type === null && c.replied)!;

async function control(sim: CarrotquestSimulator, action: string, body: unknown) {
  const response = await fetch(`${sim.url}/__sandbox/change/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

async function write(sim: CarrotquestSimulator, method: string, path: string, form: Record<string, string>) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Token ${sim.credentials.token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ id_as_string: 'true', ...form }).toString(),
  });
  expect(response.status).toBe(200);
}

describe('what each change publishes', () => {
  it('a reply from the control API: the part, its random_id and the assignee on conversation_reply, 64-bit ids as bare numbers', async () => {
    const sim = await start();
    const c = openOne(sim);
    const client = connect(sim, conversationChannels(sim));
    expect(await client.opened).toBe(true);
    const changed = await control(sim, 'reply', { id: c.id, from: 'user', body: 'Still broken' });
    expect(changed.status).toBe(201);
    const [frame] = await framesOf(client, 1);
    const part = c.parts[c.parts.length - 1]!;
    expect(frame).toMatchObject({ id: 1, channel: `conversation_reply.${app(sim)}`, tag: '0', time: new Date(NOW).toUTCString() });
    const assignee = c.assigneeId === null ? null : expect.objectContaining({ id: Number(c.assigneeId), type: expect.any(String) });
    expect(frame!.message).toMatchObject({ id: part.id, conversation: c.id, body: 'Still broken', type: 'reply_user', created: NOW / 1000, random_id: 0, assignee });
    expect(frame!.raw).toContain(`"conversation":${c.id}`);
  });

  it('a new conversation: its Conversation object on conversation.{app}', async () => {
    const sim = await start();
    const client = connect(sim, conversationChannels(sim));
    await client.opened;
    const created = await control(sim, 'conversation', { body: 'Hello?' });
    const [frame] = await framesOf(client, 1);
    expect(frame!.channel).toBe(`conversation.${app(sim)}`);
    expect(frame!.message).toMatchObject({ id: created.body.id, closed: false, parts_count: 1, part_last: { body: 'Hello?', conversation: created.body.id } });
    expect(frame!.message.last_update).toBeCloseTo(NOW / 1000, 2);
  });

  it('the write endpoints: assign, tag added and removed, close and an admin reply, each on its channel with the random_id sent', async () => {
    const sim = await start();
    const c = openOne(sim);
    const admin = sim.store.admins.find((a) => a.type === 'admin' && a.id !== c.assigneeId)!;
    const client = connect(sim, conversationChannels(sim));
    await client.opened;
    await write(sim, 'POST', `/conversations/${c.id}/assign`, { admin: admin.id, from_admin: admin.id, random_id: '11' });
    await write(sim, 'POST', `/conversations/${c.id}/tag`, { tag: 'vip', from_admin: admin.id, random_id: '12' });
    await write(sim, 'DELETE', `/conversations/${c.id}/tag`, { tag: 'vip', from_admin: admin.id, random_id: '13' });
    await write(sim, 'POST', `/conversations/${c.id}/reply`, { body: 'On it', from_admin: admin.id, random_id: '14' });
    await write(sim, 'POST', `/conversations/${c.id}/close`, { from_admin: admin.id, random_id: '15' });
    const frames = await framesOf(client, 5);
    expect(frames.map((f) => [f.channel.split('.')[0], f.message.conversation, f.message.type, f.message.random_id])).toEqual([
      ['conversation_assigned', c.id, 'assigned', 11],
      ['conversation_tag_added', c.id, 'tag_added', 12],
      ['conversation_tag_deleted', c.id, 'tag_deleted', 13],
      ['conversation_reply', c.id, 'reply_admin', 14],
      ['conversation_closed', c.id, 'closed', 15],
    ]);
    expect(frames[0]!.message.assignee).toMatchObject({ id: Number(admin.id) });
    expect(frames[1]!.message.tag).toBe('vip');
    expect(frames[3]!.message.assignee).toMatchObject({ id: Number(admin.id) });
  });

  it('a read from the control API: conversation_read names the conversation and the user', async () => {
    const sim = await start();
    const c = openOne(sim);
    const client = connect(sim, conversationChannels(sim));
    await client.opened;
    await control(sim, 'read', { id: c.id, by: 'admin' });
    const [frame] = await framesOf(client, 1);
    expect(frame).toMatchObject({ channel: `conversation_read.${app(sim)}`, message: { conversation: c.id, user: Number(c.userId) } });
    expect(sim.store.conversation(c.id)!.admin_unread_count).toBe(0);
  });

  it('numbers each channel one by one and counts the messages of one second, on every channel, in `tag`', async () => {
    const sim = await start();
    const [a, b] = sim.store.conversations.filter((c) => !c.closed);
    const client = connect(sim, conversationChannels(sim));
    await client.opened;
    sim.addReply(a!.id, { from: 'user' });
    sim.addReply(b!.id, { from: 'user' });
    clock = NOW + 1000;
    sim.addReply(a!.id, { from: 'user' });
    sim.createConversation();
    const frames = await framesOf(client, 4);
    expect(frames.map((f) => [f.channel.split('.')[0], f.id, f.tag, f.time])).toEqual([
      ['conversation_reply', 1, '0', new Date(NOW).toUTCString()],
      ['conversation_reply', 2, '1', new Date(NOW).toUTCString()],
      ['conversation_reply', 3, '0', new Date(NOW + 1000).toUTCString()],
      ['conversation', 1, '1', new Date(NOW + 1000).toUTCString()],
    ]);
  });
});

describe('resuming', () => {
  it('a reconnect with the last tag and time gets exactly the messages it missed, in order', async () => {
    const sim = await start();
    const c = openOne(sim);
    const first = connect(sim, conversationChannels(sim));
    await first.opened;
    sim.addReply(c.id, { from: 'user', body: 'one' });
    sim.addReply(c.id, { from: 'user', body: 'two' });
    const seen = await framesOf(first, 2);
    sockets[0]!.terminate();
    await first.ended;
    sim.addReply(c.id, { from: 'user', body: 'three' });
    sim.createConversation({ body: 'four' });
    const last = seen[1]!;
    const second = connect(sim, conversationChannels(sim), { tag: last.tag, time: last.time });
    const replayed = await framesOf(second, 2);
    expect(replayed.map((f) => f.message.body ?? f.message.part_last.body)).toEqual(['three', 'four']);
    // Nothing else arrives: the two seen before are not sent again.
    sim.addReply(c.id, { from: 'user', body: 'five' });
    await framesOf(second, 3);
    expect(second.frames.map((f) => f.message.body ?? f.message.part_last.body)).toEqual(['three', 'four', 'five']);
  });

  it('a connection without tag and time gets only what is published after it', async () => {
    const sim = await start();
    const c = openOne(sim);
    sim.addReply(c.id, { from: 'user', body: 'before' });
    const client = connect(sim, conversationChannels(sim));
    await client.opened;
    sim.addReply(c.id, { from: 'user', body: 'after' });
    await framesOf(client, 1);
    expect(client.frames.map((f) => f.message.body)).toEqual(['after']);
  });

  it('the buffer is bounded: past `bufferSize` the oldest missed messages are gone, and the ids show the gap', async () => {
    const sim = await start({ rts: { bufferSize: 2 } });
    const c = openOne(sim);
    const first = connect(sim, conversationChannels(sim));
    await first.opened;
    sim.addReply(c.id, { from: 'user', body: 'seen' });
    const [seen] = await framesOf(first, 1);
    sockets[0]!.terminate();
    for (const body of ['lost-1', 'lost-2', 'kept-1', 'kept-2']) sim.addReply(c.id, { from: 'user', body });
    const second = connect(sim, conversationChannels(sim), { tag: seen!.tag, time: seen!.time });
    const replayed = await framesOf(second, 2);
    expect(replayed.map((f) => [f.id, f.message.body])).toEqual([
      [4, 'kept-1'],
      [5, 'kept-2'],
    ]);
  });
});

describe('refusals and knobs', () => {
  it('closes with 3401 for a bad or missing token', async () => {
    const sim = await start();
    expect(await connect(sim, conversationChannels(sim), {}, 'app.1.nope').ended).toEqual({ code: 3401 });
    expect(await connect(sim, conversationChannels(sim), {}, null).ended).toEqual({ code: 3401 });
  });

  it('closes with 3403 when the token may read none of the channels, and leaves out the ones it may not read', async () => {
    const sim = await start();
    expect(await connect(sim, [`conversation_reply.${sim.otherAppId}`]).ended).toEqual({ code: 3403 });
    const client = connect(sim, [`conversation_reply.${sim.otherAppId}`, `conversation.${app(sim)}`]);
    expect(await client.opened).toBe(true);
    sim.addReply(openOne(sim).id, { from: 'user' });
    sim.createConversation();
    await framesOf(client, 1);
    expect(client.frames.map((f) => f.channel)).toEqual([`conversation.${app(sim)}`]);
  });

  it('answers 401/403 in place of the upgrade under the http-status reading', async () => {
    const sim = await start({ rts: { rejectAs: 'http-status' } });
    expect(await connect(sim, conversationChannels(sim), {}, 'app.1.nope').ended).toEqual({ code: 0, status: 401 });
    expect(await connect(sim, [`conversation.${sim.otherAppId}`]).ended).toEqual({ code: 0, status: 403 });
  });

  it('refuses more than 50 channels with 400, and closes with the configured failure code', async () => {
    const sim = await start();
    const many = Array.from({ length: 51 }, (_, i) => `conversation_reply.${app(sim)}.${i + 1}`);
    expect(await connect(sim, many).ended).toEqual({ code: 0, status: 400 });
    sim.rts.setKnobs({ refuseWith: 3500 });
    expect(await connect(sim, conversationChannels(sim)).ended).toEqual({ code: 3500 });
  });

  it('drops every message at drop rate 1, and cuts a connection after `disconnectAfter` messages', async () => {
    const sim = await start({ rts: { dropRate: 1 } });
    const c = openOne(sim);
    sim.addReply(c.id, { from: 'user' });
    expect(sim.rts.published()).toBe(0);
    const changed = await control(sim, 'rts', { dropRate: 0, disconnectAfter: 2 });
    expect(changed.body).toMatchObject({ dropRate: 0, disconnectAfter: 2 });
    const client = connect(sim, conversationChannels(sim));
    await client.opened;
    for (let i = 0; i < 3; i++) sim.addReply(c.id, { from: 'user' });
    expect((await client.ended).code).toBe(1006);
    expect(client.frames).toHaveLength(2);
  });
});

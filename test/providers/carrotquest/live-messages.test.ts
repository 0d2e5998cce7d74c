import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/http/json.js';
import { realtimeUrlOf } from '../../../src/providers/carrotquest/source-live.js';
import { advance, decodePosition, encodePosition, missedBefore, readFrame, type FeedPosition } from '../../../src/providers/carrotquest/live-messages.js';

/**
 * Realtime frames -> hints: only which conversation to re-read and how recent the change
 * claims to be, never the data; anything not the service's shape is no hint.
 */

const APP = '3517';
const CONVERSATION = '1160406004324630614';
const TIME = 'Tue, 20 May 2025 12:00:00 GMT';
const frame = (channel: string, message: unknown, extra: Record<string, unknown> = {}) => ({ id: 7, channel, message, tag: '3', time: TIME, ...extra });
const hintsOf = (value: unknown) => {
  const read = readFrame(value, APP);
  return read.kind === 'message' ? read.hints : 'malformed';
};

describe('hints from each channel', () => {
  it('a reply names its conversation, with the part time rounded up to the end of its second', () => {
    const text = `{"id":7,"channel":"conversation_reply.${APP}","message":{"id":1448121617782670300,"created":1747742400,"conversation":${CONVERSATION},"type":"reply_user","random_id":0,"assignee":null},"tag":"3","time":"${TIME}"}`;
    expect(hintsOf(parseJson(text))).toEqual([{ conversationId: CONVERSATION, version: 1747742400_999 }]);
  });

  it.each(['conversation_assigned', 'conversation_closed', 'conversation_tag_added', 'conversation_tag_deleted'])('a %s part names its conversation', (name) => {
    expect(hintsOf(frame(`${name}.${APP}`, { id: '5', conversation: CONVERSATION, created: 1747742401, type: 'closed' }))).toEqual([{ conversationId: CONVERSATION, version: 1747742401_999 }]);
  });

  it('a new conversation is its own id, versioned by last_update in ms (rounded up)', () => {
    expect(hintsOf(frame(`conversation.${APP}`, { id: CONVERSATION, last_update: 1747742400.1234561, created: 1747742400 }))).toEqual([
      { conversationId: CONVERSATION, version: 1747742400124 },
    ]);
  });

  it('a read names its conversation and carries no version', () => {
    expect(hintsOf(frame(`conversation_read.${APP}`, { conversation: CONVERSATION, user: 7722093 }))).toEqual([{ conversationId: CONVERSATION }]);
  });

  it('a Conversation object on another conversation channel is read as one', () => {
    expect(hintsOf(frame(`conversation_closed.${APP}`, { id: CONVERSATION, last_update: 1747742400 }))).toEqual([{ conversationId: CONVERSATION, version: 1747742400000 }]);
  });
});

describe('what is no hint', () => {
  it.each([
    ['another app', frame('conversation_reply.9999', { conversation: CONVERSATION, created: 1747742400 })],
    ['a per-user channel', frame(`conversation_reply.${APP}.77`, { conversation: CONVERSATION, created: 1747742400 })],
    ['a channel Parley does not read', frame(`conversation_typing.${APP}`, { conversation: CONVERSATION })],
    ['a message that is not an object', frame(`conversation_reply.${APP}`, [CONVERSATION])],
    ['a part without its conversation', frame(`conversation_reply.${APP}`, { id: '5', created: 1747742400 })],
    ['a conversation id that is not decimal', frame(`conversation_reply.${APP}`, { conversation: '12ab', created: 1747742400 })],
    ['a conversation id past 20 digits', frame(`conversation_reply.${APP}`, { conversation: '123456789012345678901', created: 1747742400 })],
    ['conversation id 0', frame(`conversation_reply.${APP}`, { conversation: 0, created: 1747742400 })],
    ['an unsafe number as id (already rounded)', frame(`conversation_reply.${APP}`, { conversation: 2 ** 60, created: 1747742400 })],
  ])('%s', (_name, value) => {
    expect(hintsOf(value)).toEqual([]);
  });

  it.each([
    ['not an object', 'hello'],
    ['no channel', { id: 1, message: {}, tag: '1', time: TIME }],
    ['no id', { channel: `conversation.${APP}`, message: {}, tag: '1', time: TIME }],
  ])('a frame with %s is malformed', (_name, value) => {
    expect(hintsOf(value)).toBe('malformed');
  });

  it.each([
    ['a time that is not a number', 'yesterday'],
    ['milliseconds instead of seconds', 1747742400000],
    ['0 (never)', 0],
  ])('a part with %s gives a hint without a version', (_name, created) => {
    expect(hintsOf(frame(`conversation_reply.${APP}`, { conversation: CONVERSATION, created }))).toEqual([{ conversationId: CONVERSATION }]);
  });
});

describe('the position', () => {
  const message = (channel: string, id: number | null, tag = '4') => ({ kind: 'message' as const, channel, id, hints: [], position: { tag, time: TIME } });

  it('follows the last tag and time and keeps each channel last id', () => {
    let position: FeedPosition | null = null;
    position = advance(position, message('conversation_reply.1', 5, '1'));
    position = advance(position, message('conversation.1', 2, '2'));
    position = advance(position, message('conversation_reply.1', 6, '3'));
    expect(position).toEqual({ tag: '3', time: TIME, ids: { 'conversation_reply.1': 6, 'conversation.1': 2 } });
  });

  it('counts the messages a channel skipped, and none on a first message, a repeat or a restart of the numbering', () => {
    const position: FeedPosition = { tag: '1', time: TIME, ids: { 'conversation_reply.1': 5 } };
    expect(missedBefore(position, message('conversation_reply.1', 9))).toBe(3);
    expect(missedBefore(position, message('conversation_reply.1', 6))).toBe(0);
    expect(missedBefore(position, message('conversation.1', 40))).toBe(0);
    expect(missedBefore(position, message('conversation_reply.1', 1))).toBe(0);
    expect(missedBefore(null, message('conversation_reply.1', 9))).toBe(0);
  });

  it('round-trips, and an unreadable stored position is null', () => {
    const position: FeedPosition = { tag: '3', time: TIME, ids: { 'conversation.1': 2 } };
    expect(decodePosition(encodePosition(position))).toEqual(position);
    for (const text of ['{', '"3"', JSON.stringify({ tag: '3', time: 'never', ids: {} }), JSON.stringify({ tag: 3, time: TIME, ids: {} }), JSON.stringify({ ...position, extra: 1 })]) {
      expect(decodePosition(text)).toBeNull();
    }
    expect(decodePosition(null)).toBeNull();
  });
});

describe('the realtime host', () => {
  it('is the documented one for each documented API host, the configured one when set, and none for any other API host', () => {
    expect(realtimeUrlOf({ baseUrl: 'https://api.carrotquest.io' })).toBe('wss://realtime-services.carrotquest.io');
    expect(realtimeUrlOf({ baseUrl: 'https://api.dashly.app/' })).toBe('wss://realtime-services.dashly.app');
    expect(realtimeUrlOf({ baseUrl: 'http://127.0.0.1:4101', realtimeUrl: 'ws://127.0.0.1:4101' })).toBe('ws://127.0.0.1:4101');
    expect(realtimeUrlOf({ baseUrl: 'https://carrot-proxy.example.com' })).toBeNull();
  });
});

import { z } from 'zod';
import type { ChangeHint } from '../live-contract.js';
import { DECIMAL_ID } from '../native-ids.js';

/**
 * Realtime Services messages -> change hints, and the feed's position (pure). A message is
 * `{id, channel, message, tag, time}` (developers.dashly.io/rts); what it says about the
 * conversation is never trusted, only which conversation to re-read and how recent the
 * change claims to be. Messages of other apps or channels are ignored.
 */

/** The per-app channels Parley reads: every conversation change the service announces. */
export const FEED_CHANNELS = [
  'conversation',
  'conversation_reply',
  'conversation_assigned',
  'conversation_closed',
  'conversation_tag_added',
  'conversation_tag_deleted',
  'conversation_read',
] as const;

export const channelsOf = (appId: string): string[] => FEED_CHANNELS.map((name) => `${name}.${appId}`);

const frameSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  channel: z.string(),
  message: z.unknown(),
  tag: z.union([z.string(), z.number()]).nullish(),
  time: z.string().nullish(),
});

/** Where the feed resumes: the last message's `tag` and `time`, and each channel's last message id. */
export interface FeedPosition {
  tag: string;
  time: string;
  ids: Record<string, number>;
}

export type ReadFrame =
  | { kind: 'message'; channel: string; id: number | null; hints: ChangeHint[]; position: { tag: string; time: string } | null }
  /** Not the service's frame shape. */
  | { kind: 'malformed' };

/** One frame (already parsed JSON) of the feed of `appId`. */
export function readFrame(frame: unknown, appId: string): ReadFrame {
  const parsed = frameSchema.safeParse(frame);
  if (!parsed.success) return { kind: 'malformed' };
  const { channel, message, tag, time } = parsed.data;
  const id = typeof parsed.data.id === 'number' ? parsed.data.id : /^\d{1,15}$/.test(parsed.data.id) ? Number(parsed.data.id) : null;
  const position = tag !== null && tag !== undefined && typeof time === 'string' && Number.isFinite(Date.parse(time)) ? { tag: String(tag), time } : null;
  const hint = hintOf(channel, message, appId);
  return { kind: 'message', channel, id, hints: hint ? [hint] : [], position };
}

function hintOf(channel: string, message: unknown, appId: string): ChangeHint | null {
  const name = FEED_CHANNELS.find((candidate) => channel === `${candidate}.${appId}`);
  if (!name || message === null || typeof message !== 'object' || Array.isArray(message)) return null;
  const body = message as Record<string, unknown>;
  // Parts (and reads) name their conversation; a Conversation object is one.
  const isConversation = name === 'conversation' || (body.conversation === undefined && 'last_update' in body);
  const conversationId = idOf(isConversation ? body.id : body.conversation);
  if (conversationId === null) return null;
  const version = isConversation ? versionOf(body.last_update, 0) : versionOf(body.created, 999);
  return version === undefined ? { conversationId } : { conversationId, version };
}

/** A conversation id as Parley carries it: decimal digits (64-bit ids arrive exact from parseJson). */
function idOf(value: unknown): string | null {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : typeof value === 'string' ? value : null;
  return text !== null && DECIMAL_ID.test(text) && text !== '0' ? text : null;
}

/**
 * Unix seconds -> epoch ms, rounded up: part times are whole seconds, so a part written
 * later in the same second as the last read must not look older than that read.
 */
function versionOf(value: unknown, slackMs: number): number | undefined {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  // Before 2001 or past 2286: not a time this service sends.
  if (!(seconds > 1e9 && seconds < 1e10)) return undefined;
  return Math.ceil(seconds * 1000) + slackMs;
}

/** The position after `frame`; channels' last ids carry over. */
export function advance(position: FeedPosition | null, frame: Extract<ReadFrame, { kind: 'message' }>): FeedPosition | null {
  const at = frame.position ?? (position ? { tag: position.tag, time: position.time } : null);
  if (!at) return position;
  const ids = { ...position?.ids };
  if (frame.id !== null) ids[frame.channel] = frame.id;
  return { ...at, ids };
}

/**
 * How many messages of the frame's channel were never received (a buffer overrun, or a
 * loss across a reconnect); 0 when none or unknown. The service numbers each channel's
 * messages one by one (the Nginx Push Stream module's message ids).
 */
export function missedBefore(position: FeedPosition | null, frame: Extract<ReadFrame, { kind: 'message' }>): number {
  const last = position?.ids[frame.channel];
  if (last === undefined || frame.id === null || frame.id <= last) return 0;
  return frame.id - last - 1;
}

export const encodePosition = (position: FeedPosition): string => JSON.stringify(position);

const positionSchema = z.strictObject({ tag: z.string().max(32), time: z.string().max(64), ids: z.record(z.string().max(200), z.number().int().nonnegative()) });

/** A stored position, or null for one this adapter did not write (the feed then starts from now). */
export function decodePosition(text: string | null): FeedPosition | null {
  if (text === null) return null;
  try {
    const parsed = positionSchema.safeParse(JSON.parse(text));
    return parsed.success && Number.isFinite(Date.parse(parsed.data.time)) ? parsed.data : null;
  } catch {
    return null;
  }
}

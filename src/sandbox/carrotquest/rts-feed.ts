import { renderJson, type WireValue } from './json.js';

/**
 * The channels of Carrot quest's Realtime Services (providers-live-and-write.md A.2;
 * developers.carrotquest.io/rts). The service is the Nginx Push Stream module, whose
 * semantics this plays: each channel numbers its messages 1, 2, 3...; `time` is the
 * publication second as an HTTP date and `tag` counts the messages published within that
 * second (service-wide, so one `tag`/`time` pair orders messages of every channel); each
 * channel keeps its newest messages in a bounded buffer, from which a client that
 * reconnects with `tag` and `time` gets what it missed, and nothing older.
 */

/** The knobs of the feed, switchable at run time (`POST /__sandbox/change/rts`). */
export interface RtsKnobs {
  /**
   * Messages each channel keeps for reconnecting clients. The real size is not published
   * (docs/provider-assumptions.md). @default 100
   */
  bufferSize: number;
  /** Share of changes whose message is lost before it reaches the service (0 to 1). @default 0 */
  dropRate: number;
  /** Each connection is cut (no close frame, as a network loss) after this many messages. @default null (never) */
  disconnectAfter: number | null;
  /** Every new connection is closed at once with this code (3500, 3502, 3503: the service's own failures). @default null */
  refuseWith: number | null;
  /**
   * How a bad token or channels the token may not read are refused: `close-code` (the
   * upgrade succeeds, then close 3401/3403) or `http-status` (401/403 instead of 101).
   * The doc names both. @default 'close-code'
   */
  rejectAs: 'close-code' | 'http-status';
}

export const DEFAULT_RTS_KNOBS: RtsKnobs = { bufferSize: 100, dropRate: 0, disconnectAfter: null, refuseWith: null, rejectAs: 'close-code' };

/** Where a reconnecting client resumes: the `tag` and `time` of the last message it got. */
export interface RtsSince {
  /** Epoch seconds. */
  second: number;
  /** -1 when the client sent no `tag`: every message of that second is replayed. */
  tag: number;
}

interface Stored {
  /** Publication order across channels, for replays. */
  seq: number;
  channel: string;
  second: number;
  tag: number;
  frame: string;
}

interface ChannelState {
  lastId: number;
  buffer: Stored[];
}

type Deliver = (frame: string) => void;

export interface RtsFeed {
  readonly knobs: RtsKnobs;
  setKnobs(change: Partial<RtsKnobs>): RtsKnobs;
  /** Publishes one message to one or more channels (one `tag`); false when the drop knob lost it. */
  publish(channels: readonly string[], message: WireValue): boolean;
  /** Replays what `since` missed (in publication order), then delivers live; returns the unsubscribe. */
  subscribe(channels: readonly string[], since: RtsSince | null, deliver: Deliver): () => void;
  /** Frames published so far, one per channel (the drop knob's losses excluded), for tests. */
  published(): number;
}

export function createRtsFeed(options: { now: () => number; random: () => number; knobs?: Partial<RtsKnobs> }): RtsFeed {
  const knobs: RtsKnobs = { ...DEFAULT_RTS_KNOBS };
  const channels = new Map<string, ChannelState>();
  const subscribers = new Map<string, Set<Deliver>>();
  let seq = 0;
  let lastSecond = -1;
  let lastTag = -1;

  const setKnobs = (change: Partial<RtsKnobs>): RtsKnobs => {
    const unknown = Object.keys(change).find((key) => !(key in DEFAULT_RTS_KNOBS));
    if (unknown !== undefined) throw new Error(`no realtime knob \`${unknown}\``);
    const next = { ...knobs, ...change };
    if (!(Number.isInteger(next.bufferSize) && next.bufferSize >= 0)) throw new Error('`bufferSize` must be a whole number from 0');
    if (!(next.dropRate >= 0 && next.dropRate <= 1)) throw new Error('`dropRate` must lie between 0 and 1');
    if (next.disconnectAfter !== null && !(Number.isInteger(next.disconnectAfter) && next.disconnectAfter >= 1)) throw new Error('`disconnectAfter` must be a whole number from 1, or null');
    if (next.refuseWith !== null && !(Number.isInteger(next.refuseWith) && next.refuseWith >= 3000 && next.refuseWith <= 4999)) throw new Error('`refuseWith` must be a close code from 3000 to 4999, or null');
    if (next.rejectAs !== 'close-code' && next.rejectAs !== 'http-status') throw new Error('`rejectAs` must be "close-code" or "http-status"');
    Object.assign(knobs, next);
    for (const state of channels.values()) state.buffer.splice(0, Math.max(0, state.buffer.length - knobs.bufferSize));
    return { ...knobs };
  };
  setKnobs(options.knobs ?? {});

  return {
    knobs,
    setKnobs,
    publish(targets, message) {
      if (knobs.dropRate > 0 && options.random() < knobs.dropRate) return false;
      const second = Math.floor(options.now() / 1000);
      const tag = second === lastSecond ? lastTag + 1 : 0;
      lastSecond = second;
      lastTag = tag;
      const time = new Date(second * 1000).toUTCString();
      // Ids inside `message` go out as bare numbers: the service has no `id_as_string`.
      const text = renderJson(message, false);
      for (const channel of targets) {
        let state = channels.get(channel);
        if (!state) channels.set(channel, (state = { lastId: 0, buffer: [] }));
        state.lastId += 1;
        const frame = `{"id":${state.lastId},"channel":${JSON.stringify(channel)},"message":${text},"tag":"${tag}","time":"${time}"}`;
        seq += 1;
        state.buffer.push({ seq, channel, second, tag, frame });
        if (state.buffer.length > knobs.bufferSize) state.buffer.splice(0, state.buffer.length - knobs.bufferSize);
        for (const deliver of subscribers.get(channel) ?? []) deliver(frame);
      }
      return true;
    },
    subscribe(wanted, since, deliver) {
      if (since) {
        const missed = wanted
          .flatMap((channel) => channels.get(channel)?.buffer ?? [])
          .filter((stored) => stored.second > since.second || (stored.second === since.second && stored.tag > since.tag))
          .sort((a, b) => a.seq - b.seq);
        for (const stored of missed) deliver(stored.frame);
      }
      for (const channel of wanted) {
        let set = subscribers.get(channel);
        if (!set) subscribers.set(channel, (set = new Set()));
        set.add(deliver);
      }
      return () => {
        for (const channel of wanted) subscribers.get(channel)?.delete(deliver);
      };
    },
    published: () => seq,
  };
}

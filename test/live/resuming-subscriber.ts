import { subscribeSse, type SseSubscription } from './helpers.js';

/**
 * A subscriber as a mobile app runs one: it keeps the cursor of the last event it got and,
 * when its connection ends or it moves, subscribes again with `since: <that cursor>`, on
 * whichever replica it is sent to. Its events are the union of all its connections.
 */

export interface Replica {
  readonly origin: string;
  readonly generation: number;
}

export interface ResumingSubscriber {
  readonly name: string;
  /** Every `next` payload of every connection, in arrival order. */
  payloads(): any[];
  /** The replica index and the `since` of each connection (a log of the moves, for failure messages). */
  moves(): string[];
  /** Closes the connection and opens one on replica `index` from the last cursor seen. */
  moveTo(index: number): Promise<void>;
  /** Reconnects (same replica) if that replica was restarted since the connection opened. */
  resumeIfStale(): Promise<void>;
  close(): void;
}

const CONNECT_DEADLINE_MS = 15_000;
const CONNECT_RETRY_MS = 100;
/** Lets a chunk read just before the abort land before the cursor is taken. */
const SETTLE_MS = 50;

export async function startResumingSubscriber(
  name: string,
  replicas: readonly Replica[],
  index: number,
  key: string,
  query: string,
): Promise<ResumingSubscriber> {
  const sessions: Array<{ index: number; generation: number; sub: SseSubscription }> = [];
  const moves: string[] = [];
  // One move at a time: a restart and a planned move may ask at once.
  let chain: Promise<void> = Promise.resolve();

  const payloads = () => sessions.flatMap((session) => session.sub.events);
  const lastCursor = (): string | null => {
    const cursors = payloads().map((payload) => payload?.data?.conversationEvents?.cursor).filter((cursor): cursor is string => typeof cursor === 'string');
    return cursors.at(-1) ?? null;
  };

  async function connect(to: number, since: string | null): Promise<void> {
    const until = Date.now() + CONNECT_DEADLINE_MS;
    for (;;) {
      const generation = replicas[to]!.generation;
      try {
        const sub = await subscribeSse(replicas[to]!.origin, key, query, since === null ? {} : { since });
        if (sub.status === 200) {
          sessions.push({ index: to, generation, sub });
          moves.push(`replica ${to}${since === null ? '' : ` since ${since}`}`);
          return;
        }
        sub.close();
      } catch {
        // Down for a restart: try again.
      }
      if (Date.now() > until) throw new Error(`${name} could not subscribe on replica ${to} within ${CONNECT_DEADLINE_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, CONNECT_RETRY_MS));
    }
  }

  const reconnect = async (to: number) => {
    sessions.at(-1)?.sub.close();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const since = lastCursor();
    // Without a cursor a resume would start from "now", which is no resume at all.
    if (since === null) throw new Error(`${name} has no cursor to resume from`);
    await connect(to, since);
  };
  const queue = (step: () => Promise<void>) => (chain = chain.then(step));

  await connect(index, null);
  return {
    name,
    payloads,
    moves: () => [...moves],
    moveTo: (to) => queue(() => reconnect(to)),
    resumeIfStale: () =>
      queue(async () => {
        const current = sessions.at(-1)!;
        if (replicas[current.index]!.generation !== current.generation) await reconnect(current.index);
      }),
    close() {
      for (const session of sessions) session.sub.close();
    },
  };
}

import { compareKeys, isAfter, type InboxNode, type OrderKey } from './shape.js';

/**
 * The baseline's fan-out and merge: the same reading policy as Parley's planner and
 * merge (one page of every source at once, more pages only from a source that could
 * still hold an earlier row, at most `maxPages` per source), so that both servers make
 * the same upstream calls for the same page; without GraphQL, loaders or schemas.
 */

export type Hint = ReadonlyArray<string | number>;

export interface Row {
  key: OrderKey;
  node: InboxNode;
  /** Resumes this source just after the row. */
  hint: Hint;
}

export interface SourceFeed {
  sourceId: string;
  /** Where the cursor resumes this source: a hint, null (from the start) or false (ended). */
  resume: Hint | null | false;
  fetch(continuation: unknown, want: number): Promise<{ rows: Row[]; next: unknown }>;
  /** A filter part the provider could not apply, checked here. */
  accepts(node: InboxNode): boolean;
  /** Fills in what the rows lacked, for the rows that made the page only (as Parley's loaders do). */
  complete?(nodes: InboxNode[]): Promise<void>;
}

export interface MergedPage {
  nodes: InboxNode[];
  hasNextPage: boolean;
  after: OrderKey | null;
  sources: Record<string, Hint | null | false>;
}

interface State {
  feed: SourceFeed;
  buffer: Array<{ row: Row; read: { hint: Hint; done: boolean } }>;
  read: Array<{ hint: Hint; done: boolean }>;
  prefix: number;
  hint: Hint | null;
  seen: Set<string>;
  lowest: number;
  continuation: unknown;
  pages: number;
  exhausted: boolean;
  failed: boolean;
}

export async function merge(feeds: SourceFeed[], options: { first: number; after: OrderKey | null; maxPages: number }): Promise<MergedPage> {
  const states: State[] = feeds.map((feed) => ({
    feed,
    buffer: [],
    read: [],
    prefix: 0,
    hint: feed.resume === false ? null : feed.resume,
    seen: new Set(),
    lowest: Number.POSITIVE_INFINITY,
    continuation: null,
    pages: 0,
    exhausted: feed.resume === false,
    failed: false,
  }));
  const consume = (state: State, read: { hint: Hint; done: boolean }) => {
    read.done = true;
    while (state.prefix < state.read.length && state.read[state.prefix]!.done) state.hint = state.read[state.prefix++]!.hint;
  };
  const fetchMore = (wanted: State[], want: number) =>
    Promise.all(
      wanted.map(async (state) => {
        try {
          const page = await state.feed.fetch(state.pages === 0 ? null : state.continuation, want);
          state.pages += 1;
          state.continuation = page.next;
          if (page.next === null) state.exhausted = true;
          for (const row of page.rows) {
            state.lowest = Math.min(state.lowest, row.key.micros);
            const fresh = !state.seen.has(row.key.nativeId);
            state.seen.add(row.key.nativeId);
            const read = { hint: row.hint, done: false };
            state.read.push(read);
            if (fresh && isAfter(row.key, options.after) && state.feed.accepts(row.node)) state.buffer.push({ row, read });
            else consume(state, read);
          }
          state.buffer.sort((a, b) => compareKeys(a.row.key, b.row.key));
        } catch {
          state.failed = true;
          state.buffer = [];
        }
      }),
    );
  const active = (s: State) => !s.failed && !s.exhausted;

  await fetchMore(states.filter(active), options.first + 1);
  const nodes: InboxNode[] = [];
  let last = options.after;
  let stalled = false;
  while (nodes.length < options.first) {
    let owner: State | undefined;
    for (const s of states) if (s.buffer[0] && (!owner || compareKeys(s.buffer[0].row.key, owner.buffer[0]!.row.key) < 0)) owner = s;
    const head = owner?.buffer[0];
    const blockers = states.filter((s) => active(s) && (head === undefined || s.lowest >= head.row.key.micros));
    if (blockers.length > 0) {
      if (blockers.some((s) => s.pages >= options.maxPages)) {
        stalled = true;
        break;
      }
      await fetchMore(blockers, options.first - nodes.length + 1);
      continue;
    }
    if (!owner || !head) break;
    owner.buffer.shift();
    consume(owner, head.read);
    nodes.push(head.row.node);
    last = head.row.key;
  }
  const resume = (s: State) => (s.exhausted && s.buffer.length === 0 && !s.failed ? false : s.hint);
  return {
    nodes,
    hasNextPage: stalled || states.some((s) => !s.failed && (s.buffer.length > 0 || !s.exhausted)),
    after: last,
    sources: Object.fromEntries(states.map((s) => [s.feed.sourceId, resume(s)])),
  };
}

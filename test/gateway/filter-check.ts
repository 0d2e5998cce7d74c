import { afterAll, beforeAll, expect } from 'vitest';
import { startHarness, walkAll, type GraphQLResponse, type Harness, type WalkedSourceReport } from './harness.js';
import { expectedEdges, oracleWorld, SOURCE_IDS, unsupportedParts, type FilterSpec, type Ref, type SourceId, type World } from './oracle/index.js';

/**
 * Runs a filter through the gateway to the end and checks it against the oracle: the
 * exact edges in the merged order, one `sources` entry per source asked, a skipped source
 * for every part a provider cannot answer (with its FILTER_UNSUPPORTED error), and
 * `pushedDown` / `appliedLocally` / `unsupported` splitting exactly the parts asked.
 */

/** Global ids of the admins and channels the gateway shows, by `source:nativeId`. */
export interface Directory {
  admins: Map<string, string>;
  channels: Map<string, string>;
  /** Refs of every admin (channel) that is some listed conversation's assignee (channel). */
  adminRefs: Ref[];
  channelRefs: Ref[];
}

const DIRECTORY_QUERY = /* GraphQL */ `
  query Directory($after: String) {
    conversations(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { assignee { id source nativeId } channel { id source nativeId } } }
    }
  }
`;

interface NodeRef {
  id: string;
  source: SourceId;
  nativeId: string;
}

/** Reads the global ids of assignees and channels from the gateway itself. */
export async function loadDirectory(h: Harness): Promise<Directory> {
  const admins = new Map<string, string>();
  const channels = new Map<string, string>();
  let after: string | null = null;
  for (;;) {
    const result: GraphQLResponse = await h.query(DIRECTORY_QUERY, { after });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    for (const { node } of result.data.conversations.edges as Array<{ node: { assignee: NodeRef | null; channel: NodeRef | null } }>) {
      if (node.assignee) admins.set(`${node.assignee.source}:${node.assignee.nativeId}`, node.assignee.id);
      if (node.channel) channels.set(`${node.channel.source}:${node.channel.nativeId}`, node.channel.id);
    }
    if (!result.data.conversations.pageInfo.hasNextPage) break;
    after = result.data.conversations.pageInfo.endCursor;
  }
  const refs = (map: Map<string, string>) =>
    [...map.keys()].sort().map((key) => {
      const at = key.indexOf(':');
      return { source: key.slice(0, at) as SourceId, nativeId: key.slice(at + 1) };
    });
  return { admins, channels, adminRefs: refs(admins), channelRefs: refs(channels) };
}

const iso = (millis: number) => new Date(millis).toISOString();
const range = (r: { from?: number; to?: number }) => ({
  ...(r.from !== undefined ? { from: iso(r.from) } : {}),
  ...(r.to !== undefined ? { to: iso(r.to) } : {}),
});

/** The oracle's filter as the GraphQL `ConversationFilter` input. */
export function toGraphQLFilter(spec: FilterSpec, dir: Directory): Record<string, unknown> {
  const globalId = (map: Map<string, string>, kind: string) => (ref: Ref) => {
    const id = map.get(`${ref.source}:${ref.nativeId}`);
    if (id === undefined) throw new Error(`no global id for ${kind} ${ref.source}:${ref.nativeId}`);
    return id;
  };
  const { assignee, channels, updated, created, ...rest } = spec;
  return {
    ...rest,
    ...(assignee ? { assignee: { ...assignee, ...(assignee.ids ? { ids: assignee.ids.map(globalId(dir.admins, 'admin')) } : {}) } } : {}),
    ...(channels ? { channels: { ...channels, ...(channels.ids ? { ids: channels.ids.map(globalId(dir.channels, 'channel')) } : {}) } } : {}),
    ...(updated ? { updated: range(updated) } : {}),
    ...(created ? { created: range(created) } : {}),
  };
}

/** FilterPart enum values of the parts a spec holds (all but `sources`). */
export function partsOf(spec: FilterSpec): string[] {
  const order = ['status', 'closed', 'answered', 'delayed', 'assignee', 'tags', 'channels', 'botManaged', 'search', 'updated', 'created'] as const;
  return order.filter((part) => spec[part] !== undefined).map((part) => part.replace(/([A-Z])/g, '_$1').toUpperCase());
}

export interface CaseResult {
  /** `source:nativeId` of every edge, in the order the gateway gave them. */
  edges: string[];
  /** The first page's `sources` entries, by source. */
  reports: Partial<Record<SourceId, WalkedSourceReport>>;
  pages: number;
}

export interface CaseContext {
  h: Harness;
  dir: Directory;
  /** The oracle's facts, read just before the walk. */
  world: () => World;
  /** Page sizes the walk uses in turn. @default [37, 100] */
  sizes?: number[];
}

/** Walks the filter to the end and asserts everything the oracle knows about it. */
export async function checkFilter(ctx: CaseContext, spec: FilterSpec): Promise<CaseResult> {
  const world = ctx.world();
  const walk = await walkAll(ctx.h, ctx.sizes ?? [37, 100], toGraphQLFilter(spec, ctx.dir), undefined, { allowSourceErrors: true });
  const asked = SOURCE_IDS.filter((source) => spec.sources === undefined || spec.sources.includes(source));
  const skipped = asked.filter((source) => unsupportedParts(source, spec).length > 0);
  const answering = asked.filter((source) => !skipped.includes(source));

  const edges = walk.nodes.map((n) => `${n.source}:${n.nativeId}`);
  expect(edges, `edges for ${JSON.stringify(spec)}`).toEqual(expectedEdges(world, spec, answering));

  const parts = partsOf(spec);
  walk.sources.forEach((page, index) => {
    expect(page.map((r) => r.source), `sources asked, page ${index}`).toEqual(asked);
    for (const report of page) {
      const source = report.source as SourceId;
      const unsupported = unsupportedParts(source, spec);
      expect(report.unsupported, `${source} unsupported`).toEqual(unsupported);
      // A local check may spend the per-request page budget before the page fills (PARTIAL).
      const statuses = unsupported.length > 0 ? ['SKIPPED'] : report.appliedLocally.length > 0 ? ['OK', 'PARTIAL'] : ['OK'];
      expect(statuses, `${source} status, page ${index}: ${report.reason}`).toContain(report.status);
      // Each part is pushed down, applied locally or unsupported: exactly one of them.
      expect([...report.pushedDown, ...report.appliedLocally, ...report.unsupported].sort(), `${source} parts`).toEqual([...parts].sort());
      if (unsupported.length > 0) expect(report.upstreamCalls).toBe(0);
    }
    // One FILTER_UNSUPPORTED error per skipped source, and no other error.
    const errors = walk.errors[index]!;
    expect(errors.map((e) => [e.extensions?.code, e.extensions?.source]), `errors, page ${index}`).toEqual(
      skipped.map((source) => ['FILTER_UNSUPPORTED', source]),
    );
  });
  // The plan is a function of the filter: every page reports the same split.
  for (const page of walk.sources.slice(1)) {
    expect(page.map(({ pushedDown, appliedLocally }) => ({ pushedDown, appliedLocally }))).toEqual(
      walk.sources[0]!.map(({ pushedDown, appliedLocally }) => ({ pushedDown, appliedLocally })),
    );
  }
  const reports = Object.fromEntries(walk.sources[0]!.map((r) => [r.source, r])) as CaseResult['reports'];
  return { edges, reports, pages: walk.pages };
}

/** `{ pushedDown, appliedLocally }` of each source on the first page, for exact expectations. */
export function splitOf(result: CaseResult): Partial<Record<SourceId, { pushedDown: string[]; appliedLocally: string[] }>> {
  return Object.fromEntries(
    Object.entries(result.reports).map(([source, r]) => [source, { pushedDown: r!.pushedDown, appliedLocally: r!.appliedLocally }]),
  );
}

/**
 * One sandbox and gateway per test file, with the oracle reading the same simulators.
 * The context is filled before the file's tests run and closed after them.
 */
export function useFilterCase(conversations = 80): CaseContext {
  const ctx = {} as CaseContext;
  beforeAll(async () => {
    const h = await startHarness({ conversations });
    Object.assign(ctx, { h, dir: await loadDirectory(h), world: () => oracleWorld(h.sandbox) });
  });
  afterAll(() => ctx.h.close());
  return ctx;
}

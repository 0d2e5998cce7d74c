import { createParley, type Parley } from '../../src/gateway/app.js';
import { parseConfig } from '../../src/config/schema.js';
import type { GatewayOptions } from '../../src/gateway/gateway.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { SIMULATORS, type SandboxSourceId, type SimulatedProvider } from '../../src/sandbox/registry.js';
import type { Simulator } from '../../src/sandbox/kit/simulator-server.js';

/** Every sandbox source id, in registry order: what a test that means "every source" reads. */
export { SOURCE_IDS as ALL_SOURCE_IDS } from './oracle/facts.js';

/** Every simulator of a sandbox, in registry order (faults, recorded requests). */
export const simulatorsOf = (sandbox: Sandbox): Simulator[] => SIMULATORS.map(({ provider }) => sandbox[provider]);

/** The simulator behind a sandbox source id. */
export function simulatorOf(sandbox: Sandbox, sourceId: string): Simulator {
  const declared = SIMULATORS.find((simulator) => simulator.sourceId === sourceId);
  if (!declared) throw new Error(`no sandbox source ${sourceId}`);
  return sandbox[declared.provider];
}

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

export interface Harness {
  sandbox: Sandbox;
  parley: Parley;
  query<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Upstream requests per simulator since the last reset, for every provider of the sandbox. */
  upstream(): Record<SimulatedProvider, string[]>;
  resetUpstream(): void;
  close(): Promise<void>;
}

/** Parley over a fresh sandbox, driven through `yoga.fetch` (no port for the gateway). */
export async function startHarness(
  options: { conversations?: number; seed?: number; config?: Record<string, unknown>; gateway?: GatewayOptions } = {},
): Promise<Harness> {
  const sandbox = await startSandbox({ conversations: options.conversations ?? 60, seed: options.seed ?? 7 });
  const parley = createParley(
    parseConfig({ cursorSecret: 'test-cursor-secret-0123456789', sources: quietLive(sandbox.sources()), live: QUIET_LIVE, ...options.config }),
    options.gateway,
  );
  await parley.gateway.warmUp();
  const sims = () => SIMULATORS.map(({ provider }) => [provider, sandbox[provider]] as const);
  const harness: Harness = {
    sandbox,
    parley,
    async query(query, variables) {
      const response = await parley.yoga.fetch('http://parley/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse;
    },
    upstream() {
      const paths = (sim: { requests(): Array<{ path: string; query: string }> }) => sim.requests().map((r) => r.path + r.query);
      return Object.fromEntries(sims().map(([provider, sim]) => [provider, paths(sim)])) as Record<SimulatedProvider, string[]>;
    },
    resetUpstream() {
      for (const [, sim] of sims()) sim.resetRequests();
    },
    async close() {
      await parley.close();
      await sandbox.close();
    },
  };
  harness.resetUpstream();
  return harness;
}

export const INBOX_QUERY = /* GraphQL */ `
  query Inbox($first: Int, $after: String, $filter: ConversationFilter) {
    conversations(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      sources { source status reason pushedDown appliedLocally unsupported upstreamCalls errorCode }
      edges {
        cursor
        node {
          id source nativeId lastUpdate status
          user { id name }
          assignee { id name }
          channel { id name }
          lastPart { id kind body }
        }
      }
    }
  }
`;

export interface WalkedNode {
  id: string;
  source: string;
  nativeId: string;
  lastUpdate: string;
}

/** One `sources` entry of a page, as INBOX_QUERY selects it. */
export interface WalkedSourceReport {
  source: string;
  status: 'OK' | 'PARTIAL' | 'FAILED' | 'SKIPPED';
  reason: string | null;
  pushedDown: string[];
  appliedLocally: string[];
  unsupported: string[];
  upstreamCalls: number;
  errorCode: string | null;
}

export interface WalkOptions {
  /** Collect the errors of pages that still carry data (a skipped or failed source) instead of throwing. */
  allowSourceErrors?: boolean;
}

export interface WalkResult {
  nodes: WalkedNode[];
  pages: number;
  /** Each page's `sources` entries, in page order. */
  sources: WalkedSourceReport[][];
  /** Each page's errors, when `allowSourceErrors` is set. */
  errors: NonNullable<GraphQLResponse['errors']>[];
}

/** Pages through `conversations` to the end, with the page sizes given in turn. */
export async function walkAll(
  harness: Harness,
  sizes: number[],
  filter?: Record<string, unknown>,
  between?: (pageIndex: number, soFar: WalkedNode[]) => void | Promise<void>,
  options: WalkOptions = {},
): Promise<WalkResult> {
  const nodes: WalkedNode[] = [];
  const sources: WalkedSourceReport[][] = [];
  const errors: NonNullable<GraphQLResponse['errors']>[] = [];
  let after: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const result: GraphQLResponse = await harness.query(INBOX_QUERY, { first: sizes[page % sizes.length], after, filter });
    if (result.errors?.length && !(options.allowSourceErrors && result.data?.conversations)) {
      throw new Error(`page ${page}: ${JSON.stringify(result.errors)}`);
    }
    const connection = result.data.conversations;
    nodes.push(...connection.edges.map((e: { node: WalkedNode }) => e.node));
    sources.push(connection.sources);
    errors.push(result.errors ?? []);
    if (!connection.pageInfo.hasNextPage) return { nodes, pages: page + 1, sources, errors };
    after = connection.pageInfo.endCursor;
    await between?.(page, nodes);
  }
  throw new Error('the walk did not end');
}

/**
 * Live-event sweeps and polls run in the background of every gateway: tests that count a
 * request's upstream calls push them an hour away so none lands among the calls counted.
 */
export const QUIET_LIVE = { sweepSeconds: 3600 } as const;

export function quietLive<T extends Record<string, unknown>>(sources: readonly T[]): T[] {
  return sources.map((source) => ('pollSeconds' in source ? { ...source, pollSeconds: 3600 } : source));
}

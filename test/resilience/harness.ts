import { createParley, type Parley } from '../../src/gateway/app.js';
import { parseConfig } from '../../src/config/schema.js';
import { QUIET_LIVE, quietLive } from '../gateway/harness.js';
import type { LogLevel } from '../../src/ops/log.js';
import { declarationOf } from '../../src/providers/catalogue.js';
import { secretFields } from '../../src/providers/declaration.js';
import { startChatwootSimulator } from '../../src/sandbox/chatwoot/index.js';
import type { Simulator } from '../../src/sandbox/kit/simulator-server.js';
import { SIMULATORS, type SandboxSourceId } from '../../src/sandbox/registry.js';
import type { GraphQLResponse } from '../gateway/harness.js';

/**
 * Parley over one small simulator per provider of the sandbox registry, with a short request
 * deadline so that fault cases stay fast. Unlike the gateway harness it starts the
 * simulators itself, to reach their start options (Chatwoot's `retryAfterHeader`), and it
 * keeps every response body it read so that a test can scan them for credentials.
 */

/**
 * Short, so that the fault cases stay fast, yet long enough that on a loaded 2-core CI
 * machine a `Retry-After: 1` and two backoffs still fit: the cases assert exact retries.
 */
export const DEADLINE_MS = 2500;
/** Well above a healthy call's time under load; a hang still gets two full attempts. */
export const ATTEMPT_TIMEOUT_MS = 800;
/** "Within the deadline plus a small margin": room for the merge, serialisation and a busy CI machine. */
export const MARGIN_MS = 600;

/** Every sandbox source, in registry order. */
export const SOURCE_IDS: readonly SandboxSourceId[] = SIMULATORS.map((simulator) => simulator.sourceId);
export type SourceId = SandboxSourceId;

/** Conversations each simulator holds unless a test asks otherwise. */
export const CONVERSATIONS = 12;
/** A page long enough for every conversation of every source: each source has edges on it. */
export const WHOLE_PAGE = CONVERSATIONS * SOURCE_IDS.length;

export interface TimedResponse<T = any> extends GraphQLResponse<T> {
  /** Milliseconds from sending the request to having read the whole response. */
  ms: number;
  httpStatus: number;
}

export interface ResilienceHarness {
  parley: Parley;
  sims: Record<SourceId, Simulator>;
  /** Every credential Parley holds for these sources, in the forms it sends them. */
  credentials: string[];
  /** Every response body read through `query`. */
  bodies: string[];
  query<T = any>(query: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<TimedResponse<T>>;
  /** No upstream call of any source is running, queued or holding a slot. */
  idle(): boolean;
  /** Faults off, latency off: every provider healthy again. */
  heal(): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Chatwoot's 429 carries `Retry-After` (rack-attack's default does not). @default false */
  chatwootRetryAfterHeader?: boolean;
  conversations?: number;
  /** Merged into the Parley config. */
  config?: Record<string, unknown>;
  /** Fill the list caches first, so that an inbox page costs one list call per source. @default true */
  warmUp?: boolean;
  /** Give Parley this token instead of the simulator's (a revoked or mistyped credential). */
  tokens?: Partial<Record<SourceId, string>>;
  /** Keep Parley's log lines at `level` and above. @default none (silent) */
  log?: { level: LogLevel; lines: string[] };
}

/** Seeds 3, 4, 5, ...: each simulator's world differs, and stays the same run to run. */
const SEED = 3;

export async function startResilienceHarness(options: HarnessOptions = {}): Promise<ResilienceHarness> {
  const conversations = options.conversations ?? CONVERSATIONS;
  const started = await Promise.all(
    SIMULATORS.map(async (simulator) => {
      const start = { port: 0, seed: SEED + simulator.seedOffset, conversations, shuffleTies: false };
      // Chatwoot's start option is not one the sandbox passes: that simulator is started by hand when asked.
      const sim = simulator.provider === 'chatwoot' && options.chatwootRetryAfterHeader ? await startChatwootSimulator({ ...start, retryAfterHeader: true }) : await simulator.start(start as never);
      const settings = { id: simulator.sourceId, provider: simulator.provider, ...(simulator.sourceSettings as (s: Simulator) => Record<string, unknown>)(sim) };
      const token = options.tokens?.[simulator.sourceId];
      return { sourceId: simulator.sourceId, sim: sim as Simulator, settings: token === undefined ? settings : { ...settings, token } };
    }),
  );
  const cursorSecret = 'resilience-cursor-secret-0123456789';
  const config = parseConfig({
    cursorSecret,
    deadlineMs: DEADLINE_MS,
    upstreamTimeoutMs: ATTEMPT_TIMEOUT_MS,
    resilience: { retry: { maxRetries: 2, initialDelayMs: 50, maxDelayMs: 200 } },
    sources: quietLive(started.map(({ settings }) => settings)),
    live: QUIET_LIVE,
    ...(options.log ? { logLevel: options.log.level } : {}),
    ...options.config,
  });
  const lines = options.log?.lines;
  const parley = createParley(config, lines ? { logDestination: { write: (line) => void lines.push(line) } } : {});
  if (options.warmUp ?? true) await parley.gateway.warmUp();
  const sims = Object.fromEntries(started.map(({ sourceId, sim }) => [sourceId, sim])) as Record<SourceId, Simulator>;
  for (const sim of Object.values(sims)) sim.resetRequests();

  const bodies: string[] = [];
  const harness: ResilienceHarness = {
    parley,
    sims,
    // The secrets each provider's config schema marks, and the forms in which it sends them.
    credentials: [cursorSecret, ...started.flatMap(({ settings }) => credentialsOf(settings))],
    bodies,
    async query(query, variables, signal) {
      const started = performance.now();
      const response = await parley.yoga.fetch('http://parley/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
        ...(signal ? { signal } : {}),
      });
      const text = await response.text();
      const ms = performance.now() - started;
      bodies.push(text);
      return { ...(JSON.parse(text) as GraphQLResponse), ms, httpStatus: response.status };
    },
    idle() {
      return [...parley.gateway.http.values()].every((client) => {
        const stats = client.stats();
        return stats.active === 0 && stats.queued === 0 && stats.running === 0 && stats.pending === 0;
      });
    },
    heal() {
      for (const sim of Object.values(sims)) {
        sim.clearFaults();
        sim.setLatency({ fixedMs: 0, jitterMs: 0 });
      }
    },
    async close() {
      await parley.close();
      await Promise.all(Object.values(sims).map((sim) => sim.close()));
    },
  };
  return harness;
}

/** The inbox page a support agent loads: conversations with who, where and the last message. */
export const INBOX = /* GraphQL */ `
  query Inbox($first: Int, $after: String) {
    conversations(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      sources { source status errorCode upstreamCalls }
      edges {
        cursor
        node { id source nativeId lastUpdate user { name } assignee { name } channel { name } lastPart { body } }
      }
    }
  }
`;

/** Edges per source id in a conversations page. */
export function edgesBySource(response: GraphQLResponse): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const edge of response.data?.conversations?.edges ?? []) counts[edge.node.source] = (counts[edge.node.source] ?? 0) + 1;
  return counts;
}

/** Credentials found in any of the texts, for the scan (empty means clean). */
export function leakedCredentials(texts: Iterable<string>, credentials: Iterable<string>): string[] {
  const found = new Set<string>();
  const secrets = [...new Set(credentials)];
  for (const text of texts) for (const secret of secrets) if (text.includes(secret)) found.add(secret);
  return [...found];
}

function credentialsOf(source: Record<string, unknown> & { provider: string }): string[] {
  const declaration = declarationOf(source.provider as Parameters<typeof declarationOf>[0]);
  const plain = secretFields(declaration.configSchema).flatMap((field) => (typeof source[field] === 'string' ? [source[field]] : []));
  return [...plain, ...(declaration.encodedSecrets?.(source as never) ?? [])];
}

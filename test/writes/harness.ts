import { createParley } from '../../src/gateway/app.js';
import { parseConfig } from '../../src/config/schema.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { SIMULATORS, type SimulatedProvider } from '../../src/sandbox/registry.js';
import { QUIET_LIVE, quietLive, type GraphQLResponse, type Harness } from '../gateway/harness.js';
import { PROVIDERS, writesIn, type Provider } from './provider-state/index.js';

/**
 * Parley over the sandbox with writes on: the keyless caller acts as each simulator's own
 * user (the sandbox's `actAs`), or API keys given by the test. Reads of provider-side state go
 * to the simulators' stores, never through Parley.
 */

export { PROVIDERS, SOURCES, type Provider } from './provider-state/index.js';

export interface WriteHarness extends Harness {
  /** A query with `Authorization: Bearer <key>`. */
  queryAs<T = any>(key: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Requests that asked each simulator for a change since the last reset (a provider's reads through POST are not among them). */
  writesSeen(): Record<Provider, string[]>;
  /** Every simulator's injected faults off. */
  clearFaults(): void;
  /** Global and native ids of conversations of a source, newest first, with their status. */
  conversations(sourceId: string, first?: number, filter?: Record<string, unknown>): Promise<Array<{ id: string; nativeId: string; status: string }>>;
}

export async function startWriteHarness(
  options: { config?: (sandboxActAs: Record<string, Record<string, unknown>>) => Record<string, unknown>; conversations?: number } = {},
): Promise<WriteHarness> {
  const sandbox = await startSandbox({ conversations: options.conversations ?? 40, seed: 7 });
  const actAs = sandbox.actAs();
  const extra = options.config ? options.config(actAs) : { actAs };
  // A short settle window and attempt timeout keep the fault paths quick; the faults tests inject must not open circuits.
  const parley = createParley(
    parseConfig({
      cursorSecret: 'test-cursor-secret-0123456789',
      sources: quietLive(sandbox.sources()),
      live: QUIET_LIVE,
      upstreamTimeoutMs: 500,
      writes: { settleMs: 50 },
      resilience: { breaker: { failureThreshold: 1000 } },
      ...extra,
    }),
  );
  await parley.gateway.warmUp();
  const harness: WriteHarness = {
    sandbox,
    parley,
    query: (query, variables) => post(parley, undefined, query, variables),
    queryAs: (key, query, variables) => post(parley, key, query, variables),
    upstream() {
      const paths = (sim: { requests(): Array<{ path: string; query: string }> }) => sim.requests().map((r) => r.path + r.query);
      return Object.fromEntries(SIMULATORS.map(({ provider }) => [provider, paths(sandbox[provider])])) as Record<SimulatedProvider, string[]>;
    },
    resetUpstream() {
      for (const { provider } of SIMULATORS) sandbox[provider].resetRequests();
    },
    writesSeen() {
      return Object.fromEntries(PROVIDERS.map((provider) => [provider, writesIn(provider, sandbox[provider].requests())])) as Record<Provider, string[]>;
    },
    clearFaults() {
      for (const provider of PROVIDERS) sandbox[provider].clearFaults();
    },
    async conversations(sourceId, first = 5, filter = {}) {
      const result = await harness.query(`query($f: ConversationFilter, $n: Int) { conversations(first: $n, filter: $f) { edges { node { id nativeId status } } } }`, {
        f: { sources: [sourceId], ...filter },
        n: first,
      });
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data.conversations.edges.map((e: { node: { id: string; nativeId: string; status: string } }) => e.node);
    },
    async close() {
      await parley.close();
      await sandbox.close();
    },
  };
  harness.resetUpstream();
  return harness;
}

async function post(parley: Harness['parley'], key: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
  const response = await parley.yoga.fetch('http://parley/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse;
}

export const REPLY = /* GraphQL */ `
  mutation Reply($input: ReplyToConversationInput!) {
    replyToConversation(input: $input) {
      outcome
      closeOutcome
      userErrors { code message field }
      part { id kind body internal }
      conversation { id status lastPart { body } }
    }
  }
`;

export const STATUS = /* GraphQL */ `
  mutation Status($input: SetConversationStatusInput!) {
    setConversationStatus(input: $input) { outcome userErrors { code message field } conversation { id status delayedUntil } }
  }
`;

export const ASSIGN = /* GraphQL */ `
  mutation Assign($input: AssignConversationInput!) {
    assignConversation(input: $input) { outcome userErrors { code message field } conversation { id assignee { id nativeId } } }
  }
`;

export const TAGS = /* GraphQL */ `
  mutation Tags($input: UpdateConversationTagsInput!) {
    updateConversationTags(input: $input) { outcome userErrors { code message field } conversation { id tags } }
  }
`;

export const READ = /* GraphQL */ `
  mutation Read($input: MarkConversationReadInput!) {
    markConversationRead(input: $input) { outcome userErrors { code message field } conversation { id unreadCount } }
  }
`;

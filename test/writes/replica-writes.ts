import { startReplicaSet, type ReplicaSet } from '../replicas/harness.js';
import { messagesAt, PROVIDERS, SOURCES, stateAt, type Provider } from './provider-state/index.js';

/**
 * Two gateway processes over one Redis and the in-process simulators, both with a key that
 * writes to every source as the simulators' own users. Calls go over real HTTP; a call the
 * network cut is returned as such, not thrown, so a test can repeat it as a client would.
 */

export const WRITER_KEY = 'replica-writes-key-0123456789abcdef';
/** Short, so a test can wait past it between repeats of an uncertain write. */
export const SETTLE_MS = 200;

export type CallResult = { readonly status: number; readonly body: any } | { readonly transportError: string };

export interface WriteReplicas {
  readonly set: ReplicaSet;
  /** A GraphQL call to replica `index` with the writing key. */
  call(index: number, query: string, variables?: Record<string, unknown>): Promise<CallResult>;
  /** Global and native ids of the newest conversations of a provider's source (read through replica 0). */
  conversations(provider: Provider, first: number): Promise<Array<{ id: string; nativeId: string }>>;
  /** Messages at the simulator whose body contains `text`. */
  messagesWith(provider: Provider, nativeId: string, text: string): number;
  /** The tags the simulator holds for a conversation. */
  tagsAt(provider: Provider, nativeId: string): string[];
  close(): Promise<void>;
}

export async function startWriteReplicas(): Promise<WriteReplicas> {
  const set = await startReplicaSet(2, (sandbox, url) => ({
    redis: { url, keyPrefix: 'replica-writes:' },
    sources: sandbox.sources(),
    apiKeys: [{ key: WRITER_KEY, sources: sandbox.sources().map((source) => source.id), write: true, actAs: sandbox.actAs() }],
    writes: { settleMs: SETTLE_MS },
    // Hung answers end quickly; an injected read failure is not retried away; faults must not open circuits.
    upstreamTimeoutMs: 300,
    resilience: { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1000 } },
  }));
  const call = async (index: number, query: string, variables: Record<string, unknown> = {}): Promise<CallResult> => {
    try {
      const response = await fetch(`${set.replicas[index]!.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${WRITER_KEY}` },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      try {
        return { status: response.status, body: JSON.parse(text) };
      } catch {
        return { status: response.status, body: text };
      }
    } catch (error) {
      return { transportError: String(error) };
    }
  };
  return {
    set,
    call,
    async conversations(provider, first) {
      const answer = await call(0, `query($f: ConversationFilter, $n: Int) { conversations(first: $n, filter: $f) { edges { node { id nativeId } } } }`, {
        f: { sources: [SOURCES[provider]] },
        n: first,
      });
      if ('transportError' in answer || answer.body.errors) throw new Error(`listing ${provider} failed: ${JSON.stringify(answer)}`);
      return answer.body.data.conversations.edges.map((edge: { node: { id: string; nativeId: string } }) => edge.node);
    },
    messagesWith: (provider, nativeId, text) => messagesAt(set.sandbox, provider, nativeId).filter((message) => message.body.includes(text)).length,
    tagsAt: (provider, nativeId) => stateAt(set.sandbox, provider, nativeId).tags,
    close: () => set.close(),
  };
}

/** Every simulator's faults off. */
export function clearAllFaults(replicas: WriteReplicas): void {
  for (const provider of PROVIDERS) replicas.set.sandbox[provider].clearFaults();
}

import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { GraphQLError } from 'graphql';
import type { Gateway } from './gateway.js';
import { startDeadline } from '../http/deadline.js';
import type { CacheLookup, CallScope, UpstreamCall } from '../http/upstream-client.js';
import { createCallBudget } from '../limits/upstream-budget.js';
import type { Admin, Channel, Conversation, ConversationPart, User } from '../domain/model.js';
import type { SourceClient } from '../providers/adapter.js';
import { READ_ONLY, type WriteAccess } from '../writes/access.js';

/**
 * One GraphQL request's state: which sources the caller may read, its upstream call
 * log, cancellation, and the source errors to report next to the data. The Pothos
 * dataloader plugin keeps the request's DataLoaders per context; they and `known` are
 * emptied when execution is done (`useRequestRelease`).
 */
export interface RequestContext {
  gateway: Gateway;
  /** Source ids this caller may read. */
  allowedSources: ReadonlySet<string>;
  /** The caller's API key by its config name (`apiKeys[0]`), never its value; undefined without keys. */
  caller: string | undefined;
  /** What this caller may write, and as whom (read-only unless its key says `write`). */
  writeAccess: WriteAccess;
  /** On every log line about this request and in its trace (`src/ops/request-id.ts`). */
  requestId: string;
  calls: UpstreamCall[];
  /** Reads of the cross-request list caches, for the trace. */
  cacheLookups: CacheLookup[];
  scope: CallScope;
  /** Errors of sources that failed while the rest of the data stands; appended to `errors`. */
  sourceErrors: GraphQLError[];
  /** Epoch milliseconds at the start of the request. */
  now: number;
  /** Epoch milliseconds after which no upstream work for this request goes on (also `scope.deadline`). */
  deadline: number;
  /** Ends the request once execution is done (`useRequestRelease`): clears the deadline's timer and empties `known`. */
  dispose(): void;
  /**
   * Nodes the request's payloads already carried, by node key. Fields hand them out
   * directly (no DataLoader round trip, no promise) and the loaders answer from them
   * before asking a provider (src/loaders/prime.ts).
   */
  known: KnownNodes;
}

export interface KnownNodes {
  conversations: Map<string, Conversation>;
  users: Map<string, User>;
  admins: Map<string, Admin>;
  channels: Map<string, Channel>;
  parts: Map<string, ConversationPart>;
}

/** Node warns past 10 listeners on one signal; a request may well have dozens of calls in flight. */
const MAX_CALL_LISTENERS = 1000;

export function createRequestContext(
  gateway: Gateway,
  options: { allowedSources?: Iterable<string>; signal?: AbortSignal; requestId?: string; caller?: string | undefined; writeAccess?: WriteAccess },
): RequestContext {
  const calls: UpstreamCall[] = [];
  const known: KnownNodes = { conversations: new Map(), users: new Map(), admins: new Map(), channels: new Map(), parts: new Map() };
  const cacheLookups: CacheLookup[] = [];
  const requestId = options.requestId ?? randomUUID();
  const { metrics } = gateway;
  const now = Date.now();
  // One signal for the whole request: it fires when the client goes away or the deadline passes.
  const deadline = startDeadline(now + gateway.config.deadlineMs, options.signal, now);
  // Every upstream call of the request listens to this signal (its timeout and the HTTP client each add a listener).
  setMaxListeners(MAX_CALL_LISTENERS, deadline.signal);
  return {
    gateway,
    allowedSources: new Set(options.allowedSources ?? gateway.sources.keys()),
    caller: options.caller,
    writeAccess: options.writeAccess ?? READ_ONLY,
    requestId,
    calls,
    cacheLookups,
    scope: {
      signal: deadline.signal,
      deadline: deadline.at,
      signalFiresAtDeadline: true,
      requestId,
      // Every attempt of the request, to every source, spends from one budget.
      budget: createCallBudget(gateway.config.limits.upstreamCalls),
      ...(options.caller === undefined ? {} : { caller: options.caller }),
      onCall: (call) => calls.push(call),
      onCacheLookup: (lookup) => {
        cacheLookups.push(lookup);
        metrics?.onCacheLookup(lookup);
      },
    },
    sourceErrors: [],
    now,
    deadline: deadline.at,
    dispose() {
      deadline.dispose();
      for (const nodes of Object.values(known)) nodes.clear();
    },
    known,
  };
}

/** The source behind a node key, if this caller may read it. */
export function readableSource(context: RequestContext, sourceId: string): SourceClient | undefined {
  return context.allowedSources.has(sourceId) ? context.gateway.sources.get(sourceId) : undefined;
}

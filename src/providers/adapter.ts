import type { z } from 'zod';
import type { FilterPart, SourceFilter, PartDecision } from '../domain/filter.js';
import type { CallScope, UpstreamClient } from '../http/upstream-client.js';
import type { DroppedRow } from '../http/payload-rows.js';
import type {
  Admin,
  Channel,
  Conversation,
  ConversationPart,
  Included,
  ProviderName,
  User,
} from '../domain/model.js';
import type { OrderKey } from '../pagination/order.js';
import type { NativeIdShapes } from './native-ids.js';
import type { SourceLive } from './live-contract.js';
import type { Logger } from '../ops/log.js';
import type { SourceWriter } from './write-contract.js';

/**
 * The contract every provider implements. Adding a provider means one folder under
 * `providers/` exporting a `ProviderAdapter`, and one line in the registry.
 */

/** A source's resume point as stored in the merged cursor: small JSON chosen by the adapter. */
export type ResumeHint = string | number | readonly (string | number)[];

/** A within-request continuation for the next upstream page (never stored in a cursor). */
export type Continuation = unknown;

/**
 * The result of planning a filter for one source: which parts the provider answers,
 * which Parley checks itself, which make the source unanswerable, and the provider
 * request parameters that carry the native parts.
 */
export interface FilterPlan {
  decisions: PartDecision[];
  /** Adapter-private request parameters; opaque to the planner. */
  native: unknown;
  /**
   * True when the native query alone can match nothing (for example an assignee filter
   * that names only admins of other sources): the planner skips the upstream call.
   */
  empty?: boolean;
  /**
   * The parts a mapped row cannot answer because the provider left the field out (a list
   * without `channel`, a null `inbox_id`). For such a row Parley trusts the provider on a
   * NATIVE part and re-reads the conversation (`getConversations`) to check a LOCAL one.
   * @default none
   */
  unknownParts?: (conversation: Conversation) => readonly FilterPart[];
}

export interface ListRequest {
  plan: FilterPlan;
  /**
   * The last edge the client has seen, in the merged order. Rows at or before it are
   * dropped by the planner; page-number adapters use it to find where to resume.
   */
  after: OrderKey | null;
  /** This source's hint from the cursor, or null to start at the newest conversation. */
  hint: ResumeHint | null;
  /** The continuation returned by the previous page of this same request, if any. */
  continuation: Continuation | null;
  /** How many rows the planner still needs; the adapter picks a page size up to its maximum. */
  want: number;
}

export interface ListedConversation {
  conversation: Conversation;
  /** Where a cursor should resume this source so that the next row after this one is read. */
  hint: ResumeHint;
}

export interface ListPage {
  /** Mapped rows in the provider's order (last activity descending). */
  rows: ListedConversation[];
  /** How to fetch the next upstream page, or null when the source has no more rows. */
  next: Continuation | null;
  /** The exact number of conversations the native query matches, when the provider says so. */
  totalCount: number | null;
  /** Nested objects the payload carried, to prime the request's DataLoaders. */
  included: Included;
  /** Rows of the payload that could not be read, left out of `rows`: the source is PARTIAL. @default none */
  dropped?: DroppedRow[];
}

export interface PartsRequest {
  conversationId: string;
  /** Rows wanted (1-100). */
  first: number;
  /** The native id of the last part already seen; parts come oldest first. */
  afterPartId: string | null;
}

export interface PartsPage {
  /** Oldest first. */
  parts: ConversationPart[];
  hasNextPage: boolean;
  /** Exact total when the provider reports it. */
  totalCount: number | null;
  included: Included;
  /** Parts the provider's pages held that could not be placed in the thread and were left out (reported, never skipped in silence). */
  dropped?: DroppedRow[];
}

export interface ConversationDetail {
  conversation: Conversation;
  included: Included;
}

/** Everything a source's client needs at run time. */
export interface SourceRuntime {
  http: UpstreamClient;
  /** Epoch milliseconds; injected so mapping and planning stay testable. */
  now: () => number;
  /** How long rarely changing lists (channels, inboxes, agents, staff) are reused. @default 60000 */
  listCacheTtlMs?: number;
  /** Where a source's own background work (a realtime feed) logs. @default a logger of its own */
  logger?: Logger;
}

/**
 * One connected account of a provider. Every method takes the request's scope so that
 * upstream calls are cancelled with the request and recorded in its call log.
 * Batch methods answer in the order of `ids`, with null for ids the provider does not know.
 */
export interface SourceClient {
  readonly sourceId: string;
  readonly provider: ProviderName;
  /**
   * Rows one call answers at most: a conversations list page and a parts page (what a
   * query's upstream calls are estimated by, before it runs).
   */
  readonly pageSizes: { readonly conversations: number; readonly parts: number };
  planFilter(filter: SourceFilter): FilterPlan;
  listConversations(request: ListRequest, scope: CallScope): Promise<ListPage>;
  getConversations(ids: readonly string[], scope: CallScope): Promise<Array<ConversationDetail | null>>;
  listParts(request: PartsRequest, scope: CallScope): Promise<PartsPage>;
  /** One part by id (providers have no part endpoint: adapters read the thread where it sits). */
  getPart(conversationId: string, partId: string, scope: CallScope): Promise<ConversationPart | null>;
  getUsers(ids: readonly string[], scope: CallScope): Promise<Array<User | null>>;
  getAdmins(ids: readonly string[], scope: CallScope): Promise<Array<Admin | null>>;
  getChannels(ids: readonly string[], scope: CallScope): Promise<Array<Channel | null>>;
  /** Every channel of the source, for `Source.channels` and channel-name filters. */
  listChannels(scope: CallScope): Promise<Channel[]>;
  /**
   * Loads the directory lists the inbox query reads, at start-up, so the first pages cost one
   * list call per source. @default `listChannels`
   */
  warmUp?(scope: CallScope): Promise<unknown>;
  /** Checks the resume hint read from a (signed) cursor: false for a shape this adapter never writes. */
  isValidHint(hint: unknown): hint is ResumeHint;
  /** The source's writes, when its provider can write. @default read-only */
  readonly writer?: SourceWriter;
  /** How the source pushes changes (webhook, feed), if at all. @default none: the sweep alone */
  readonly live?: SourceLive;
}

export interface ProviderAdapter<Config> {
  readonly provider: ProviderName;
  /** The provider-specific part of a source's config (besides `id` and `provider`). */
  readonly configSchema: z.ZodType<Config>;
  /** The shape of this provider's native ids, per node type: ids from clients are checked against it first. */
  readonly nativeIds: NativeIdShapes;
  /**
   * Whether `partId` can name a part of conversation `conversationId`, judged by the ids
   * alone (no call): a `parts(after:)` cursor naming anything else is refused up front.
   */
  isPartOf(conversationId: string, partId: string): boolean;
  /** Connects one source. `config` is this provider's part of the source config. */
  createSource(sourceId: string, config: Config, runtime: SourceRuntime): SourceClient;
}

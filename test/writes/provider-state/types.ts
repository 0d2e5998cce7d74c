import type { FaultRule } from '../../../src/sandbox/kit/faults.js';
import type { RecordedRequest } from '../../../src/sandbox/kit/sim-types.js';
import type { WriteAction } from '../../../src/providers/write-actions.js';

/**
 * What the write-back and live tests know of one provider, written by hand from its
 * simulator's records: provider-side state in the provider's own terms mapped to what a
 * test compares, which requests are writes, and how a customer or an agent changes a
 * conversation there. A fifth provider adds one file and one index line.
 */
export interface ProviderTests<Sim> {
  /** The actions the provider documents (providers-live-and-write.md B.1): what its declaration must list once it writes. */
  readonly documentedActions: readonly WriteAction[];
  /** The replies and notes its agents wrote on a conversation. */
  messages(sim: Sim, nativeId: string): StoredMessage[];
  state(sim: Sim, nativeId: string): StoredState;
  /** Whether a recorded request asked the provider to change something (some providers read through POST). */
  isWrite(request: RecordedRequest): boolean;
  /** Requests a fault aims at. */
  readonly aims: {
    /** The request that posts a reply. */
    readonly reply: RequestAim;
    /** The request that sets a status. */
    readonly status: RequestAim;
    /** Where a read-back looks for a reply. */
    readonly readBack: RequestAim;
    /** Every read: faulting all of them makes any read-back fail. */
    readonly reads: readonly RequestAim[];
  };
  /** A tag change replaces the whole set (read-modify-write under Parley's lock), rather than adding or removing one tag. */
  readonly tagsReplaceTheSet: boolean;
  /** Turns off the provider's own guard against a repeated reply, so only Parley stands between a repeat and a second message. */
  withoutDuplicateGuard?(sim: Sim): void;
  readonly live: LiveChanges<Sim>;
}

export interface StoredMessage {
  body: string;
  internal: boolean;
}

export interface StoredState {
  /** Parley's words for the provider's status, mapped by hand from the store. */
  status: 'OPEN' | 'PENDING' | 'SNOOZED' | 'CLOSED' | 'OTHER';
  assignee: string | null;
  tags: string[];
}

/** A method, and part of the path where the method alone would also hit reads or other writes. */
export type RequestAim = Pick<FaultRule, 'method' | 'pathIncludes'>;

export type LiveAction = 'customer' | 'agent' | 'status' | 'assign' | 'tags';

/** Changes made at the provider, as its customers and agents make them (never through Parley). */
export interface LiveChanges<Sim> {
  /** A customer starts a conversation; its native id. */
  startConversation(sim: Sim): Promise<string>;
  customerReply(sim: Sim, nativeId: string, body: string): Promise<void>;
  /** Conversations a random change may target, in a stable order. */
  targets(sim: Sim, count: number): string[];
  /** One change; true when it wrote a part whose body holds `body`. */
  change(sim: Sim, nativeId: string, action: LiveAction, pick: number, body: string): Promise<boolean>;
  /** The StoredState fields the changes move and Parley names as the store does. */
  readonly compared: ReadonlyArray<keyof StoredState>;
  /** Knobs that make its webhooks misbehave, when it pushes through webhooks. */
  webhooks?(sim: Sim): WebhookDefects;
  /** Knobs that make its realtime feed misbehave, when it has one. */
  feed?(sim: Sim): FeedDefects;
}

export interface WebhookDefects {
  set(knobs: { dropRate: number; duplicateRate: number; reorderMs: number }): void;
  /** Resolves once no delivery waits or is in flight. */
  settled(): Promise<void>;
  /** Every delivery so far, oldest first. */
  deliveries(): Array<{ dropped: boolean; duplicated: boolean; unanswered: boolean }>;
}

export interface FeedDefects {
  set(knobs: { dropRate: number; disconnectAfter: number | null }): void;
  connections(): number;
  cut(): void;
}

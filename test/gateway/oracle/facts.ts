import { SIMULATORS, type SandboxSourceId } from '../../../src/sandbox/registry.js';

/**
 * The unified facts a conversation filter is about, as the test oracle derives them from a
 * simulator's records. Written from the provider notes (`docs/providers/<name>.md`, sections 4 and 8) and
 * `docs/provider-assumptions.md`, never from adapter code: where the two agree, the gateway
 * is right; where they differ, one of them is wrong and the test says so.
 */

/** The sandbox's sources, in registry order. */
export const SOURCE_IDS: readonly SandboxSourceId[] = SIMULATORS.map((simulator) => simulator.sourceId);
export type SourceId = SandboxSourceId;

export type Status = 'OPEN' | 'PENDING' | 'SNOOZED' | 'CLOSED';
export const STATUSES: readonly Status[] = ['OPEN', 'PENDING', 'SNOOZED', 'CLOSED'];

/** A node of one source, as the gateway exposes it (`source`, `nativeId`). */
export interface Ref {
  source: SourceId;
  nativeId: string;
}

export interface Facts extends Ref {
  status: Status;
  closed: boolean;
  /**
   * Who wrote the last reply: the customer or a person of the team. Notes, system events
   * and bot messages are not replies (Carrot quest's `reply_last_type`, the reference,
   * counts only `reply_user` and `reply_admin`). Null when the thread has no reply.
   */
  lastReplier: 'USER' | 'ADMIN' | null;
  /** The assignee's native id in the gateway's scheme (Chatwoot bots `bot:<id>`, Re:amaze staff email). */
  assigneeId: string | null;
  tags: string[];
  channelId: string | null;
  botManaged: boolean;
  /** Epoch milliseconds, at the precision the provider sends. */
  createdAt: number;
  /** Last activity in epoch microseconds, at the precision the provider sends: the order key. */
  lastUpdateMicros: number;
  /** Message texts a provider-side search looks through; null where the provider cannot search. */
  searchable: string[] | null;
}

/** The facts of every conversation each source lists with no filter (its universe). */
export type World = Record<SourceId, Facts[]>;

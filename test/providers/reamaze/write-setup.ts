import { UpstreamClient } from '../../../src/http/upstream-client.js';
import { createReamazeSource } from '../../../src/providers/reamaze/client.js';
import type { ReplyRequest, SourceWriter } from '../../../src/providers/write-contract.js';
import {
  startReamazeSimulator,
  type ConversationRecord,
  type ReamazeSimulator,
  type ReamazeSimulatorOptions,
} from '../../../src/sandbox/reamaze/index.js';

/** 2026-01-19 15:00:00 UTC: the simulator's and the adapter's shared clock. */
export const NOW = Date.UTC(2026, 0, 19, 15, 0, 0);

export interface WriteRig {
  sim: ReamazeSimulator;
  writer: SourceWriter;
  http: UpstreamClient;
  clock: { now: () => number; advance(ms: number): number };
  /** The source's own login as the acting identity. */
  actor: { staffEmail: string };
  close(): Promise<void>;
}

/** A real Re:amaze simulator on a free port and the adapter's writer pointed at it. */
export async function startRig(options: Partial<ReamazeSimulatorOptions> = {}): Promise<WriteRig> {
  let t = NOW;
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  const sim = await startReamazeSimulator({ conversations: 40, now: clock.now, ...options });
  const http = new UpstreamClient({ sourceId: 'rz', baseUrl: sim.url });
  const source = createReamazeSource('rz', { email: sim.credentials.email, token: sim.credentials.token }, { http, now: clock.now, listCacheTtlMs: 60_000 });
  return {
    sim,
    writer: source.writer!,
    http,
    clock,
    actor: { staffEmail: sim.credentials.email },
    close: async () => {
      await http.close();
      await sim.close();
    },
  };
}

export function replyRequest(conversationId: string, overrides: Partial<ReplyRequest> = {}): ReplyRequest {
  return {
    conversationId,
    body: 'Your refund went out today.',
    format: 'TEXT',
    internal: false,
    attachmentUrls: [],
    marker: 'pz-0001',
    markerNumber: 1,
    firstAttemptAt: NOW,
    closes: false,
    ...overrides,
  };
}

/** An open conversation with a short thread, picked from the store (the oracle is the store, not the adapter). */
export function openConversation(sim: ReamazeSimulator, skip = 0): ConversationRecord {
  const found = sim.store.conversations.filter((c) => c.status === 0 && c.messages.length > 0 && c.messages.length < 25)[skip];
  if (!found) throw new Error('no open conversation');
  return found;
}

/** The requests the simulator answered, as `METHOD path`. */
export function calls(sim: ReamazeSimulator): string[] {
  return sim.requests().map((r) => `${r.method} ${r.path}`);
}

/** What `promise` rejected with; a promise that resolves fails the test. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

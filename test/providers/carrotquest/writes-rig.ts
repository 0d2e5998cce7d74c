import { UpstreamClient } from '../../../src/http/upstream-client.js';
import { createPoolTransport, type Transport } from '../../../src/http/transport.js';
import { createCarrotQuestSource } from '../../../src/providers/carrotquest/client.js';
import type { SourceClient } from '../../../src/providers/adapter.js';
import type { ReplyRequest, SourceWriter } from '../../../src/providers/write-contract.js';
import { startCarrotquestSimulator, type CarrotquestSimulator, type CarrotquestSimulatorOptions, type ConversationRecord } from '../../../src/sandbox/carrotquest/index.js';

/**
 * A Carrot quest source over a real simulator, recording every request exactly as it left
 * Parley (method, path with query, form body), so tests assert the wire, not the adapter.
 */

export const NOW = Date.UTC(2025, 4, 20, 12, 0, 0);

export interface Sent {
  method: string;
  path: string;
  body: string | undefined;
}

export interface Rig {
  sim: CarrotquestSimulator;
  source: SourceClient;
  writer: SourceWriter;
  sent: Sent[];
  /** Moves the simulator's clock (epoch ms). */
  clock: { now: number };
  /** A human admin of the app: the identity writes act as. */
  actor: { adminId: string };
  close(): Promise<void>;
}

export async function startRig(options: CarrotquestSimulatorOptions = {}, token?: (sim: CarrotquestSimulator) => string): Promise<Rig> {
  const clock = { now: NOW };
  const sim = await startCarrotquestSimulator({ conversations: 40, now: () => clock.now, ...options });
  const sent: Sent[] = [];
  const pool = createPoolTransport({ origin: new URL(sim.url).origin, connections: 4, timeoutMs: 2000 });
  const transport: Transport = {
    send: (request, signal) => {
      sent.push({ method: request.method, path: request.path, body: request.body });
      return pool.send(request, signal);
    },
    stats: () => pool.stats(),
    close: () => pool.close(),
  };
  // Default resilience: reads would be retried, so a single write attempt shows writes are not.
  const http = new UpstreamClient({ sourceId: 'cq', baseUrl: sim.url, timeoutMs: 2000, resilience: { retry: { initialDelayMs: 1, maxDelayMs: 2 } }, transport });
  const source = createCarrotQuestSource('cq', { baseUrl: sim.url, appId: sim.credentials.appId, token: token ? token(sim) : sim.credentials.token }, { http, now: () => clock.now });
  const actor = { adminId: sim.store.admins.find((a) => a.type === 'admin')!.id };
  return {
    sim,
    source,
    writer: source.writer!,
    sent,
    clock,
    actor,
    close: async () => {
      await http.close();
      await sim.close();
    },
  };
}

/** An open inbox conversation of the simulator. */
export const openConversation = (sim: CarrotquestSimulator): ConversationRecord =>
  sim.store.conversations.find((c) => !c.closed && c.assistant_type === null && c.replied && c.parts.length > 2)!;

let markerSeq = 0;
export function replyRequest(conversationId: string, fields: Partial<ReplyRequest> = {}): ReplyRequest {
  markerSeq += 1;
  return {
    conversationId,
    body: `Thanks, we are on it (${markerSeq})`,
    format: 'TEXT',
    internal: false,
    attachmentUrls: [],
    marker: `pm-test-${markerSeq}`,
    markerNumber: 100_000 + markerSeq,
    firstAttemptAt: NOW,
    closes: false,
    ...fields,
  };
}

/** A form body as sorted pairs, so assertions do not depend on field order. */
export const formOf = (body: string | undefined): Record<string, string> => Object.fromEntries(new URLSearchParams(body ?? ''));

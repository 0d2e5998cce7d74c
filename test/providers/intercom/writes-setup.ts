import { UpstreamClient } from '../../../src/http/upstream-client.js';
import type { SourceClient } from '../../../src/providers/adapter.js';
import { createIntercomSource } from '../../../src/providers/intercom/index.js';
import type { ReplyRequest, SourceWriter } from '../../../src/providers/write-contract.js';
import { startIntercomSimulator, type ConversationRecord, type IntercomReadings, type IntercomSimulator, type PartRecord } from '../../../src/sandbox/intercom/index.js';

/** The world is generated at NOW; writes happen a minute later, at WRITE_AT. */
export const NOW = Date.UTC(2025, 4, 20, 12, 0, 0);
export const WRITE_AT = NOW + 60_000;
export const WRITE_SECONDS = WRITE_AT / 1000;

export interface WriteWorld {
  sim: IntercomSimulator;
  http: UpstreamClient;
  source: SourceClient;
  writer: SourceWriter;
  /** The acting teammate (`actAs`), as the sandbox configures it. */
  actor: { adminId: string };
  /** Another teammate. */
  otherAdminId: string;
  /** `now` drives both sides; `parleyAheadMs` skews Parley's clock against the provider's. */
  clock: { now: number; parleyAheadMs: number };
  /** Upstream calls the adapter made, as `METHOD path`, since the last `resetCalls()`. */
  calls(): string[];
  resetCalls(): void;
}

/**
 * A real simulator and the adapter over it, through an HTTP client that retries reads (so a
 * retried write would show), with the admin list already loaded (as the gateway's warm-up does).
 */
export async function startWriteWorld(readings: Partial<IntercomReadings> = {}): Promise<WriteWorld> {
  const clock = { now: NOW, parleyAheadMs: 0 };
  const sim = await startIntercomSimulator({ conversations: 40, now: () => clock.now, readings });
  clock.now = WRITE_AT;
  const http = new UpstreamClient({ sourceId: 'ic', baseUrl: sim.url, timeoutMs: 2000, resilience: { retry: { maxRetries: 2, initialDelayMs: 1 } } });
  const source = createIntercomSource('ic', { baseUrl: sim.url, token: sim.credentials.token }, { http, now: () => clock.now + clock.parleyAheadMs });
  await source.warmUp?.({});
  sim.resetRequests();
  const [admin, other] = sim.store.teammates();
  return {
    sim,
    http,
    source,
    writer: source.writer!,
    actor: { adminId: admin!.id },
    otherAdminId: other!.id,
    clock,
    calls: () => sim.requests().map((request) => `${request.method} ${request.path}`),
    resetCalls: () => sim.resetRequests(),
  };
}

export async function stopWriteWorld(world: WriteWorld): Promise<void> {
  await world.http.close();
  await world.sim.close();
}

/** A conversation of the store matching `test`, the `skip`-th one. */
export function conversationWhere(world: WriteWorld, test: (c: ConversationRecord) => boolean, skip = 0): ConversationRecord {
  const found = world.sim.store.conversations.filter(test)[skip];
  if (!found) throw new Error('the fixture has no such conversation');
  return found;
}

export function replyRequest(conversation: ConversationRecord, world: WriteWorld, extra: Partial<ReplyRequest> = {}): ReplyRequest {
  return {
    conversationId: conversation.id,
    body: 'Your refund is on its way.',
    format: 'TEXT',
    internal: false,
    attachmentUrls: [],
    marker: 'pk-0001-abc',
    markerNumber: 12345,
    firstAttemptAt: world.clock.now,
    closes: false,
    ...extra,
  };
}

/** The conversation's parts as the simulator stores them (its own records, not the adapter's reading). */
export const partsOf = (world: WriteWorld, id: string): PartRecord[] => world.sim.store.conversation(id)!.parts;

/** Requests other than GET the simulator answered. */
export const writesSent = (world: WriteWorld) => world.calls().filter((call) => !call.startsWith('GET '));

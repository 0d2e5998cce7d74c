import { UpstreamClient } from '../../../src/http/upstream-client.js';
import type { SourceClient } from '../../../src/providers/adapter.js';
import { chatwootAdapter } from '../../../src/providers/chatwoot/index.js';
import type { ReplyRequest, SourceWriter } from '../../../src/providers/write-contract.js';
import { startChatwootSimulator, type ChatwootSimulator } from '../../../src/sandbox/chatwoot/index.js';
import type { CwConversation, CwUser } from '../../../src/sandbox/chatwoot/records.js';

/** 2026-01-19T12:00:00Z: the data is generated then; writes happen a minute later. */
export const NOW = Date.UTC(2026, 0, 19, 12, 0, 0);

export interface WriteWorld {
  sim: ChatwootSimulator;
  http: UpstreamClient;
  source: SourceClient;
  writer: SourceWriter;
  admin: CwUser;
  agent: CwUser;
  /** Acts with the source's (administrator's) token. */
  adminActor: { userId: string };
  /** Acts with the agent's own token. */
  agentActor: { userId: string; apiAccessToken: string };
  clock: { now: number };
}

/** A real simulator and the adapter over it, through an HTTP client that retries reads (so a retried write would show). */
export async function startWriteWorld(): Promise<WriteWorld> {
  const clock = { now: NOW };
  const sim = await startChatwootSimulator({ conversations: 30, now: () => clock.now });
  clock.now = NOW + 60_000;
  const http = new UpstreamClient({ sourceId: 'cw', baseUrl: sim.url, timeoutMs: 2000, resilience: { retry: { maxRetries: 2, initialDelayMs: 1 } } });
  const source = chatwootAdapter.createSource('cw', { baseUrl: sim.url, accountId: sim.credentials.accountId, token: sim.credentials.token }, { http, now: () => clock.now });
  const admin = sim.store.users.find((u) => u.accessToken === sim.credentials.token)!;
  const agent = sim.store.users.find((u) => u.accessToken === sim.credentials.agentToken)!;
  return {
    sim,
    http,
    source,
    writer: source.writer!,
    admin,
    agent,
    adminActor: { userId: String(admin.id) },
    agentActor: { userId: String(agent.id), apiAccessToken: sim.credentials.agentToken },
    clock,
  };
}

export async function stopWriteWorld(world: WriteWorld): Promise<void> {
  await world.http.close();
  await world.sim.close();
}

/** A conversation outside the API inbox that the agent can see (so both actors may write to it). */
export function sharedConversation(world: WriteWorld, skip = 0): CwConversation {
  return world.sim.store.conversations.filter((c) => {
    const inbox = world.sim.store.inbox(c.inboxId)!;
    return inbox.channelType !== 'Channel::Api' && inbox.memberIds.includes(world.agent.id);
  })[skip]!;
}

export function replyRequest(conversation: CwConversation, world: WriteWorld, extra: Partial<ReplyRequest> = {}): ReplyRequest {
  return {
    conversationId: String(conversation.displayId),
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

/** Method and path of every request the simulator answered (reads and writes alike). */
export const calls = (world: WriteWorld) => world.sim.requests().map((r) => `${r.method} ${r.path.replace(/^\/api\/v1\/accounts\/\d+/, '')}`);

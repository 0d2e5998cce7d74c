import { UpstreamNotFound } from '../../http/errors.js';
import type { CallScope } from '../../http/upstream-client.js';
import { readThread, type ConversationCalls, type Thread } from './conversations.js';
import type { IntercomWriteCalls } from './write-calls.js';

/** What the write modules of one workspace share. */
export interface WriterDeps {
  readonly sourceId: string;
  readonly reads: ConversationCalls;
  readonly writes: IntercomWriteCalls;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

/** The conversation as Intercom holds it now (one read by id); an unknown one is `UpstreamNotFound`. */
export async function currentThread(deps: WriterDeps, conversationId: string, scope: CallScope): Promise<Thread> {
  deps.writes.conversationPath(conversationId);
  const thread = await readThread(deps.reads, conversationId, scope);
  if (!thread) throw new UpstreamNotFound('conversations.get: not found');
  return thread;
}

/** The conversation after a write whose answer did not carry it; null when that read fails, since the write stands. */
export async function threadAfter(deps: WriterDeps, conversationId: string, scope: CallScope): Promise<Thread | null> {
  try {
    return await readThread(deps.reads, conversationId, scope);
  } catch {
    return null;
  }
}

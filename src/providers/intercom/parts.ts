import type { CallScope } from '../../http/upstream-client.js';
import { emptyIncluded, type ConversationPart } from '../../domain/model.js';
import type { PartsPage, PartsRequest } from '../adapter.js';
import { readThread, type ConversationCalls } from './conversations.js';

/** Intercom has no parts endpoint: a conversation read by id carries its thread (the newest 500 parts). */
export const HIDDEN_PARTS_PATH = 'conversation_parts';

/**
 * One page of the thread, oldest first, after `afterPartId`. The first page says how many
 * older parts Intercom keeps back (section 8): they are reported, never skipped in silence.
 */
export async function listIntercomParts(context: ConversationCalls, request: PartsRequest, scope: CallScope): Promise<PartsPage> {
  const empty: PartsPage = { parts: [], hasNextPage: false, totalCount: null, included: emptyIncluded() };
  const thread = await readThread(context, request.conversationId, scope);
  if (!thread) return empty;
  const start = request.afterPartId === null ? 0 : thread.parts.findIndex((part) => part.nativeId === request.afterPartId) + 1;
  // A part id this thread does not hold names no position in it.
  if (start === 0 && request.afterPartId !== null) return empty;
  const want = Math.max(0, Math.floor(request.first));
  const parts = thread.parts.slice(start, start + want);
  const hidden = request.afterPartId === null && thread.hidden > 0
    ? [{ path: HIDDEN_PARTS_PATH, problem: `Intercom returns only the newest 500 parts: ${thread.hidden} older parts are not available` }]
    : [];
  return {
    parts,
    hasNextPage: start + want < thread.parts.length,
    totalCount: thread.parts.length + thread.hidden,
    included: { ...thread.detail.included, parts: [] },
    dropped: [...hidden, ...thread.dropped],
  };
}

export async function getIntercomPart(context: ConversationCalls, conversationId: string, partId: string, scope: CallScope): Promise<ConversationPart | null> {
  const thread = await readThread(context, conversationId, scope);
  return thread?.parts.find((part) => part.nativeId === partId) ?? null;
}

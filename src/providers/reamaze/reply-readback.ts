import type { ConversationPart } from '../../domain/model.js';
import { createMessageThread, MESSAGES_PAGE_SIZE, type FetchMessages } from './message-thread.js';
import { mapMessage } from './part-mapper.js';

/** How far back a read-back looks: the newest two pages of the thread. */
const LOOKBACK = 2 * MESSAGES_PAGE_SIZE;

/** How far the provider's clock may run behind Parley's when a read-back compares times. */
export const CLOCK_SKEW_MS = 120_000;

/**
 * The newest message of `slug` carrying `marker` as its `origin_id`, as a part with its
 * place in the thread; null when none of the messages since `notBefore` carries it. The
 * newest page is read first, and the scan stops at the first message older than `notBefore`
 * (nothing older can be the reply). An unknown conversation rejects with `UpstreamNotFound`.
 */
export async function findMessageByMarker(
  sourceId: string,
  fetchMessages: FetchMessages,
  slug: string,
  marker: string,
  notBefore: number,
): Promise<ConversationPart | null> {
  const thread = createMessageThread(slug, fetchMessages);
  await thread.open(1);
  const size = await thread.size();
  for (let index = size - 1; index >= Math.max(0, size - LOOKBACK); index -= 1) {
    const message = await thread.at(index);
    if (message === undefined) continue;
    if (message.origin_id !== null && message.origin_id !== undefined && String(message.origin_id) === marker) {
      return mapMessage(sourceId, slug, index, message).part;
    }
    if (Date.parse(message.created_at) < notBefore) break;
  }
  return null;
}

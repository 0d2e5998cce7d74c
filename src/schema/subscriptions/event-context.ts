import { clearAllDataLoaders } from '@pothos/plugin-dataloader';
import { createRequestContext, type RequestContext } from '../../gateway/context.js';
import { nodeKey } from '../../domain/node-key.js';
import type { StreamItem } from '../../live/event-stream.js';

/**
 * A subscription keeps one context for its whole life, but each event is resolved like a
 * request of its own: a fresh deadline and call log, empty loaders (so nested fields see
 * the provider as it is now), and the event's conversation and part known without a call.
 */
export function renewForEvent(context: RequestContext, item: StreamItem): void {
  context.dispose();
  clearAllDataLoaders(context);
  const fresh = createRequestContext(context.gateway, { allowedSources: context.allowedSources, caller: context.caller, requestId: context.requestId });
  Object.assign(context, {
    calls: fresh.calls,
    cacheLookups: fresh.cacheLookups,
    scope: fresh.scope,
    sourceErrors: fresh.sourceErrors,
    now: fresh.now,
    deadline: fresh.deadline,
    dispose: fresh.dispose,
    known: fresh.known,
  });
  if (item.kind === 'RESYNC_REQUIRED') return;
  const { conversation, part } = item;
  context.known.conversations.set(nodeKey(conversation.sourceId, conversation.nativeId), conversation);
  if (part) context.known.parts.set(nodeKey(part.sourceId, part.conversationId, part.nativeId), part);
}

import type { RequestContext } from '../context.js';
import type { Included } from '../model.js';
import { nodeKey } from '../node-key.js';
import { AdminRef } from './admin.js';
import { ChannelRef } from './channel.js';
import { ConversationPartRef } from './conversation-part.js';
import { UserRef } from './user.js';

/**
 * Seeds the request's loaders with the objects a payload already carried, so nested
 * fields cost no upstream call (design.md section 7). Primed values never overwrite
 * what is already loaded.
 */
export function primeIncluded(context: RequestContext, sourceId: string, included: Included): void {
  const users = UserRef.getDataloader(context);
  for (const user of included.users) users.prime(nodeKey(sourceId, user.nativeId), user);
  const admins = AdminRef.getDataloader(context);
  for (const admin of included.admins) admins.prime(nodeKey(sourceId, admin.nativeId), admin);
  const channels = ChannelRef.getDataloader(context);
  for (const channel of included.channels) channels.prime(nodeKey(sourceId, channel.nativeId), channel);
  const parts = ConversationPartRef.getDataloader(context);
  for (const part of included.parts) parts.prime(nodeKey(sourceId, part.conversationId, part.nativeId), part);
}

import { builder } from '../builder.js';
import type { Channel } from '../model.js';
import { nodeKey } from '../node-key.js';
import { loadByKey } from './load-by-key.js';
import { originFields } from './origin-fields.js';

export const ChannelRef = builder.loadableNodeRef('Channel', {
  id: { resolve: (channel: Channel) => nodeKey(channel.sourceId, channel.nativeId) },
  load: (keys: string[], context) => loadByKey(context, keys, (source, ids, ctx) => source.getChannels(ids, ctx.scope)),
  toKey: (channel: Channel) => nodeKey(channel.sourceId, channel.nativeId),
  cacheResolved: true,
});

ChannelRef.implement({
  description: 'Where conversations arrive: a Carrot quest channel, a Chatwoot inbox, a Re:amaze channel.',
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'type' in value && !('isBot' in value) && !('kind' in value),
  fields: (t) => ({
    ...originFields(t),
    name: t.exposeString('name', { nullable: true }),
    type: t.exposeString('type', { nullable: true, description: "The provider's channel kind (`email`, `Channel::WebWidget`, ...)." }),
  }),
});

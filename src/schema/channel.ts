import type { Channel } from '../domain/model.js';
import { PROVIDER_DECLARATIONS } from '../providers/catalogue.js';
import { nounPhrase } from '../providers/declaration.js';
import { originFields } from './origin-fields.js';
import { sourceNodeRef } from './source-node.js';

export const ChannelRef = sourceNodeRef<Channel>('Channel', (source, ids, context) => source.getChannels(ids, context.scope),
  (context) => context.known.channels,
);

ChannelRef.implement({
  description: `Where conversations arrive: ${PROVIDER_DECLARATIONS.map((provider) => nounPhrase(provider, provider.nouns.channel)).join(', ')}.`,
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'type' in value && !('isBot' in value) && !('kind' in value),
  fields: (t) => ({
    ...originFields(t),
    name: t.exposeString('name', { nullable: true }),
    type: t.exposeString('type', { nullable: true, description: "The provider's channel kind (`email`, `Channel::WebWidget`, ...)." }),
  }),
});

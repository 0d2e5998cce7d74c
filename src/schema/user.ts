import { builder } from '../builder.js';
import type { User } from '../model.js';
import { nodeKey } from '../node-key.js';
import { loadByKey } from './load-by-key.js';
import { originFields } from './origin-fields.js';

export const UserRef = builder.loadableNodeRef('User', {
  id: { resolve: (user: User) => nodeKey(user.sourceId, user.nativeId) },
  load: (keys: string[], context) => loadByKey(context, keys, (source, ids, ctx) => source.getUsers(ids, ctx.scope)),
  toKey: (user: User) => nodeKey(user.sourceId, user.nativeId),
  cacheResolved: true,
});

UserRef.implement({
  description: 'A customer: the person on the other side of a conversation.',
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'externalId' in value,
  fields: (t) => ({
    ...originFields(t),
    name: t.exposeString('name', { nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true }),
    externalId: t.exposeString('externalId', { nullable: true, description: "The customer's id in the company's own system." }),
    avatarUrl: t.exposeString('avatarUrl', { nullable: true }),
  }),
});

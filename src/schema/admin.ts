import { builder } from '../builder.js';
import type { Admin } from '../model.js';
import { nodeKey } from '../node-key.js';
import { loadByKey } from './load-by-key.js';
import { originFields } from './origin-fields.js';

export const AdminRef = builder.loadableNodeRef('Admin', {
  id: { resolve: (admin: Admin) => nodeKey(admin.sourceId, admin.nativeId) },
  load: (keys: string[], context) => loadByKey(context, keys, (source, ids, ctx) => source.getAdmins(ids, ctx.scope)),
  toKey: (admin: Admin) => nodeKey(admin.sourceId, admin.nativeId),
  cacheResolved: true,
});

AdminRef.implement({
  description: 'An operator, agent or bot of the support team.',
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'isBot' in value,
  fields: (t) => ({
    ...originFields(t),
    name: t.exposeString('name', { nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    avatarUrl: t.exposeString('avatarUrl', { nullable: true }),
    isBot: t.exposeBoolean('isBot'),
  }),
});

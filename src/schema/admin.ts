import type { Admin } from '../domain/model.js';
import { originFields } from './origin-fields.js';
import { sourceNodeRef } from './source-node.js';

export const AdminRef = sourceNodeRef<Admin>('Admin', (source, ids, context) => source.getAdmins(ids, context.scope),
  (context) => context.known.admins,
);

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

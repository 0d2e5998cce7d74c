import type { User } from '../domain/model.js';
import { originFields } from './origin-fields.js';
import { sourceNodeRef } from './source-node.js';

export const UserRef = sourceNodeRef<User>('User', (source, ids, context) => source.getUsers(ids, context.scope),
  (context) => context.known.users,
);

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

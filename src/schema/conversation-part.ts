import { builder } from './builder.js';
import { badUserInput } from '../errors/graphql-errors.js';
import type { Attachment, ConversationPart } from '../domain/model.js';
import { nodeKey, parseNodeKey } from '../domain/node-key.js';
import { isNativeIdOf, recordBatch } from '../loaders/load-by-key.js';
import { readableSource } from '../gateway/context.js';
import { sourceFailure } from '../errors/graphql-errors.js';
import { AdminRef } from './admin.js';
import { PartKindEnum } from './enums.js';
import { originFields } from './origin-fields.js';
import { DateTime } from './scalars.js';
import { UserRef } from './user.js';

const partKey = (part: ConversationPart) => nodeKey(part.sourceId, part.conversationId, part.nativeId);

export const ConversationPartRef = builder.loadableNodeRef('ConversationPart', {
  id: { resolve: partKey },
  load: async (keys: string[], context) => {
    const parsedKeys = keys.map((key) => parseNodeKey(key, 2));
    recordBatch(context, 'ConversationPart', parsedKeys.flatMap((p) => (p && readableSource(context, p.sourceId) ? [p.sourceId] : [])));
    return Promise.all(
      parsedKeys.map(async (parsed, index) => {
        const source = parsed && readableSource(context, parsed.sourceId);
        if (!parsed || !source) return null;
        const [conversationId, partId] = parsed.nativeIds as [string, string];
        // A crafted id never reaches the provider: it names nothing.
        if (!isNativeIdOf(source, 'Conversation', conversationId) || !isNativeIdOf(source, 'ConversationPart', partId)) return null;
        const known = context.known.parts.get(keys[index]!);
        if (known) return known;
        try {
          return await source.getPart(conversationId, partId, context.scope);
        } catch (error) {
          return sourceFailure(error, parsed.sourceId);
        }
      }),
    );
  },
  toKey: partKey,
  // Parts of pages are kept in `context.known`, which the loader reads already.
  cacheResolved: false,
});

const AttachmentRef = builder.objectRef<Attachment>('Attachment').implement({
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true }),
    url: t.exposeString('url'),
    contentType: t.exposeString('contentType', { nullable: true }),
    size: t.exposeInt('size', { nullable: true, description: 'Bytes.' }),
  }),
});

export const ParticipantUnion = builder.unionType('Participant', {
  description: 'Who wrote a part: the customer or someone of the support team.',
  types: [UserRef, AdminRef],
  resolveType: (value) => ('isBot' in value ? AdminRef : UserRef),
});

ConversationPartRef.implement({
  description: 'One message, note or event of a conversation.',
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'conversationId' in value,
  fields: (t) => ({
    ...originFields(t),
    createdAt: t.field({ type: DateTime, resolve: (p) => p.createdAt }),
    kind: t.field({ type: PartKindEnum, resolve: (p) => p.kind }),
    nativeType: t.exposeString('nativeType', { description: "The provider's own part type." }),
    body: t.exposeString('body', { nullable: true }),
    internal: t.exposeBoolean('internal', { description: 'An internal note the customer does not see.' }),
    attachments: t.field({ type: [AttachmentRef], resolve: (p) => p.attachments }),
    author: t.field({
      type: ParticipantUnion,
      nullable: true,
      resolve: (part, _args, context) => {
        if (!part.author) return null;
        const key = nodeKey(part.sourceId, part.author.id);
        if (part.author.kind === 'USER') return context.known.users.get(key) ?? UserRef.getDataloader(context).load(key);
        return context.known.admins.get(key) ?? AdminRef.getDataloader(context).load(key);
      },
    }),
  }),
});

/** Cursor of a part inside one conversation's thread: which part was last seen, bound to that conversation. */
export function encodePartCursor(part: ConversationPart): string {
  return Buffer.from(JSON.stringify([part.conversationId, part.nativeId])).toString('base64url');
}

export function decodePartCursor(cursor: string, conversationId: string): string {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value[0] === conversationId && typeof value[1] === 'string') return value[1];
  } catch {
    // fall through to the error below
  }
  throw badUserInput('invalid `after` cursor for this conversation\'s parts', { argument: 'after' });
}

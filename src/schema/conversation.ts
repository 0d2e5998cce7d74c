import { responsePathAsArray } from 'graphql';
import { builder } from './builder.js';
import { notePartsLeftOut } from '../conversations/dropped-rows.js';
import { badUserInput } from '../errors/graphql-errors.js';
import type { Conversation, ConversationPart } from '../domain/model.js';
import { nodeKey } from '../domain/node-key.js';
import { adapters } from '../providers/registry.js';
import { readableSource, type RequestContext } from '../gateway/context.js';
import { sourceFailure } from '../errors/graphql-errors.js';
import { AdminRef } from './admin.js';
import { ChannelRef } from './channel.js';
import { ConversationPartRef, decodePartCursor, encodePartCursor } from './conversation-part.js';
import { ConversationActionEnum, ConversationStatusEnum, ParticipantKindEnum } from './enums.js';
import { isWritable, sourceActions } from '../writes/capabilities.js';
import { loadByKey } from '../loaders/load-by-key.js';
import { originFields } from './origin-fields.js';
import { Edge } from '../pagination/edge.js';
import { knownOrKey, primeIncluded } from '../loaders/prime.js';
import { DateTime } from './scalars.js';
import { UserRef } from './user.js';

export const conversationKey = (c: Conversation) => nodeKey(c.sourceId, c.nativeId);

export const ConversationRef = builder.loadableNodeRef('Conversation', {
  id: { resolve: conversationKey },
  load: (keys: string[], context) =>
    loadByKey(context, keys, async (source, ids, ctx) => {
      const details = await source.getConversations(ids, ctx.scope);
      return details.map((detail) => {
        if (!detail) return null;
        primeIncluded(ctx, source.sourceId, detail.included);
        return detail.conversation;
      });
    }, { loader: 'Conversation', known: context.known.conversations }),
  toKey: conversationKey,
  // Pages keep their conversations in `context.known`, which the loader reads already.
  cacheResolved: false,
});

/** A field naming another node of the conversation's source: the object when a payload carried it, else its key for the loader. */
function knownOrKeyOf<K extends 'admins' | 'users' | 'channels'>(kind: K, nativeIdOf: (c: Conversation) => string | null) {
  return (c: Conversation, _args: unknown, context: RequestContext) => {
    const nativeId = nativeIdOf(c);
    return nativeId ? knownOrKey(context, kind, nodeKey(c.sourceId, nativeId)) : null;
  };
}

const PartEdge = builder.objectRef<{ cursor: string; node: ConversationPart }>('ConversationPartEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: ConversationPartRef, resolve: (edge) => edge.node }),
  }),
});

const PartPageInfo = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null }>('ConversationPartPageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

interface PartConnection {
  edges: Array<{ cursor: string; node: ConversationPart }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number | null;
}

const PartConnectionRef = builder.objectRef<PartConnection>('ConversationPartConnection').implement({
  description: 'A thread, oldest part first.',
  fields: (t) => ({
    edges: t.field({ type: [PartEdge], resolve: (c) => c.edges }),
    pageInfo: t.field({ type: PartPageInfo, resolve: (c) => c.pageInfo }),
    totalCount: t.exposeInt('totalCount', { nullable: true, description: 'Parts in the whole thread, when the provider says.' }),
  }),
});

ConversationRef.implement({
  description: 'A conversation with a customer, from any connected source.',
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'lastUpdateMicros' in value,
  fields: (t) => ({
    ...originFields(t),
    subject: t.exposeString('subject', { nullable: true }),
    status: t.field({ type: ConversationStatusEnum, resolve: (c) => c.status }),
    nativeStatus: t.exposeString('nativeStatus', { description: "The provider's own status value." }),
    closed: t.exposeBoolean('closed'),
    createdAt: t.field({ type: DateTime, resolve: (c) => c.createdAt }),
    lastUpdate: t.field({
      type: DateTime,
      description: 'Time of the last activity: the order of the `conversations` connection.',
      resolve: (c) => Math.floor(c.lastUpdateMicros / 1000),
    }),
    lastUserReplyAt: t.field({ type: DateTime, nullable: true, resolve: (c) => c.lastUserReplyAt }),
    delayedUntil: t.field({ type: DateTime, nullable: true, description: 'Snoozed until.', resolve: (c) => c.delayedUntil }),
    tags: t.exposeStringList('tags'),
    important: t.exposeBoolean('important', { nullable: true }),
    answered: t.exposeBoolean('answered', { nullable: true, description: 'The last reply came from the support team.' }),
    lastReplyFrom: t.field({ type: ParticipantKindEnum, nullable: true, resolve: (c) => c.lastReplyFrom }),
    channelKind: t.exposeString('channelKind', { nullable: true, description: "The provider's conversation or channel type." }),
    priority: t.exposeString('priority', { nullable: true }),
    partsCount: t.exposeInt('partsCount', { nullable: true }),
    unreadCount: t.exposeInt('unreadCount', { nullable: true, description: 'Customer messages the team has not read.' }),
    botManaged: t.exposeBoolean('botManaged'),
    url: t.exposeString('url', { nullable: true, description: "Where a person opens it in the provider's own app." }),
    capabilities: t.field({
      type: [ConversationActionEnum],
      description: "What this caller can do to it: its source's actions where this API key may write, else none.",
      resolve: (c, _args, context) => {
        const source = readableSource(context, c.sourceId);
        return isWritable(context.writeAccess, source) ? sourceActions(source) : [];
      },
    }),
    assignee: t.field({ type: AdminRef, nullable: true, resolve: knownOrKeyOf('admins', (c) => c.assigneeId) }),
    lastAdmin: t.field({ type: AdminRef, nullable: true, resolve: knownOrKeyOf('admins', (c) => c.lastAdminId) }),
    user: t.field({ type: UserRef, nullable: true, resolve: knownOrKeyOf('users', (c) => c.userId) }),
    channel: t.field({ type: ChannelRef, nullable: true, resolve: knownOrKeyOf('channels', (c) => c.channelId) }),
    lastPart: t.field({ type: ConversationPartRef, nullable: true, resolve: (c) => c.lastPart }),
    lastReply: t.field({ type: ConversationPartRef, nullable: true, resolve: (c) => c.lastReply }),
    parts: t.field({
      type: PartConnectionRef,
      // Nullable: one thread that cannot be read must not take the rest of the page with it.
      nullable: true,
      args: {
        first: t.arg.int({ defaultValue: 20, description: 'At most 100.' }),
        after: t.arg.string({ required: false }),
      },
      resolve: async (conversation, args, context, info) => {
        const first = args.first ?? 20;
        if (first < 0 || first > 100) throw badUserInput(`\`first\` must be between 0 and 100; got ${first}`, { argument: 'first' });
        const afterPartId = args.after ? decodePartCursor(args.after, conversation.nativeId) : null;
        const source = readableSource(context, conversation.sourceId);
        if (!source) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: null };
        // The part cursor is not signed: a part id this conversation cannot have is refused before any call.
        if (afterPartId !== null && !adapters[source.provider].isPartOf(conversation.nativeId, afterPartId)) {
          throw badUserInput("invalid `after` cursor for this conversation's parts", { argument: 'after' });
        }
        try {
          const page = await source.listParts({ conversationId: conversation.nativeId, first, afterPartId }, context.scope);
          primeIncluded(context, source.sourceId, page.included);
          notePartsLeftOut(source.sourceId, page.dropped, responsePathAsArray(info.path), context.sourceErrors);
          const edges = page.parts.slice(0, first).map((node) => new Edge(node, node, encodePartCursor));
          return {
            edges,
            pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges[edges.length - 1]?.cursor ?? args.after ?? null },
            totalCount: page.totalCount,
          };
        } catch (error) {
          throw sourceFailure(error, conversation.sourceId);
        }
      },
    }),
  }),
});

builder.queryField('conversation', (t) =>
  t.field({
    type: ConversationRef,
    nullable: true,
    description: 'One conversation by its global id; null when it does not exist or is not readable.',
    args: { id: t.arg.globalID({ required: true, for: [ConversationRef] }) },
    resolve: (_root, args) => args.id.id,
  }),
);

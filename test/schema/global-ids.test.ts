import { encodeGlobalID } from '@pothos/plugin-relay';
import { isObjectType, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';

/**
 * Node ids are computed synchronously (src/schema/sync-global-id.ts): a promise here
 * would put every object that selects `id` on graphql-js's asynchronous path.
 */
describe('node ids', () => {
  const origin = { sourceId: 'cq', nativeId: '42', conversationId: '7' };
  const expected: Record<string, string> = {
    Conversation: encodeGlobalID('Conversation', 'cq:42'),
    User: encodeGlobalID('User', 'cq:42'),
    Admin: encodeGlobalID('Admin', 'cq:42'),
    Channel: encodeGlobalID('Channel', 'cq:42'),
    ConversationPart: encodeGlobalID('ConversationPart', 'cq:7:42'),
  };

  it.each(Object.keys(expected))('%s.id is the relay encoding of its key, returned as a value, not a promise', (name) => {
    const type = schema.getType(name);
    if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
    const id = type.getFields().id!.resolve!(origin, {}, {}, { parentType: type } as unknown as GraphQLResolveInfo);
    expect(id).toBe(expected[name]);
  });
});

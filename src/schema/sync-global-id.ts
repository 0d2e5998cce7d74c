import { completeValue, RootFieldBuilder, type SchemaTypes } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';

/**
 * Pothos relay builds every node's `id` field on `t.globalID`, whose resolver is an async
 * function: the id of each conversation, user or part becomes a promise, and graphql-js
 * then executes every object that selects `id` on its slower asynchronous path (for the
 * reference inbox page, 20 objects and their parents). This replaces `t.globalID` with a
 * resolver that gives the same value (the relay encoding of type name and id, Parley sets
 * no custom encoder) synchronously whenever the id itself is synchronous.
 *
 * Imported by `builder.ts` before any type is defined.
 */

type GlobalIdResult = { type: unknown; id: unknown } | null | undefined;

const proto = RootFieldBuilder.prototype as unknown as {
  globalID(this: RootFieldBuilder<SchemaTypes, unknown>, options: Record<string, unknown> & { resolve: (...args: unknown[]) => unknown }): unknown;
};

proto.globalID = function globalID({ resolve, ...options }) {
  return this.field({
    ...options,
    type: 'ID',
    resolve: (parent: unknown, args: unknown, context: unknown, info: unknown) =>
      completeValue(resolve(parent, args, context, info) as GlobalIdResult | Promise<GlobalIdResult>, (item) => {
        if (!item || typeof item !== 'object') return item;
        const typename = this.builder.configStore.getTypeConfig(item.type as never).name;
        return encodeGlobalID(typename, String(item.id));
      }),
  } as never);
};

import type { KnownNodes, RequestContext } from '../gateway/context.js';
import type { Included } from '../domain/model.js';
import { nodeKey } from '../domain/node-key.js';

/**
 * Keeps the objects a payload already carried, so nested fields cost no upstream call
 * (design.md section 7): fields read them from `context.known` and the loaders answer
 * from it before asking a provider. What is already known is never overwritten.
 */
export function primeIncluded(context: RequestContext, sourceId: string, included: Included): void {
  const { known } = context;
  for (const user of included.users) keep(known.users, nodeKey(sourceId, user.nativeId), user);
  for (const admin of included.admins) keep(known.admins, nodeKey(sourceId, admin.nativeId), admin);
  for (const channel of included.channels) keep(known.channels, nodeKey(sourceId, channel.nativeId), channel);
  for (const part of included.parts) keep(known.parts, nodeKey(sourceId, part.conversationId, part.nativeId), part);
}

function keep<T>(map: Map<string, T>, key: string, value: T): void {
  if (!map.has(key)) map.set(key, value);
}

/** The known object behind `key`, else `key` itself for the type's DataLoader to load. */
export function knownOrKey<K extends keyof KnownNodes>(context: RequestContext, kind: K, key: string) {
  return (context.known[kind].get(key) as KnownNodes[K] extends Map<string, infer T> ? T : never) ?? key;
}

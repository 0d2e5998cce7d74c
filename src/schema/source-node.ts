import { builder } from './builder.js';
import type { RequestContext } from '../gateway/context.js';
import type { NodeOrigin } from '../domain/model.js';
import { nodeKey } from '../domain/node-key.js';
import type { SourceClient } from '../providers/adapter.js';
import type { NativeIdKind } from '../providers/native-ids.js';
import { loadByKey } from '../loaders/load-by-key.js';

/**
 * A Relay node that lives in one source and is loaded by native id through a batched
 * adapter call: users, admins and channels. Keys are `source:nativeId`, so loaders are
 * per request (the context) and grouped per source (in `loadByKey`).
 */
export function sourceNodeRef<T extends NodeOrigin>(
  name: NativeIdKind,
  fetch: (source: SourceClient, nativeIds: string[], context: RequestContext) => Promise<Array<T | null>>,
  known: (context: RequestContext) => ReadonlyMap<string, T>,
) {
  const key = (node: T) => nodeKey(node.sourceId, node.nativeId);
  return builder.loadableNodeRef(name, {
    id: { resolve: key },
    load: (keys: string[], context: RequestContext) => loadByKey(context, keys, fetch, { loader: name, known: known(context) }),
    toKey: key,
    // Objects fields return directly come from `context.known`, which the loader reads already.
    cacheResolved: false,
  });
}

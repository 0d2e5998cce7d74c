import { readableSource, type RequestContext } from '../gateway/context.js';
import { UpstreamNotFound } from '../http/errors.js';
import { sourceFailure } from '../errors/graphql-errors.js';
import { parseNodeKey } from '../domain/node-key.js';
import type { SourceClient } from '../providers/adapter.js';
import type { NativeIdKind } from '../providers/native-ids.js';
import { adapters } from '../providers/registry.js';

/**
 * The batch function behind every node DataLoader: groups keys by source, makes one
 * batched adapter call per source, and answers each key with its object, null (unknown,
 * malformed, not shaped like the provider's ids, or a source the caller may not read,
 * which must all look the same), or the source's coded error so that only the fields
 * that needed it fail.
 */
export async function loadByKey<T>(
  context: RequestContext,
  keys: readonly string[],
  fetch: (source: SourceClient, nativeIds: string[], context: RequestContext) => Promise<Array<T | null>>,
  options: { loader: NativeIdKind; keyParts?: number; known?: ReadonlyMap<string, T> },
): Promise<Array<T | null | Error>> {
  const results: Array<T | null | Error> = keys.map(() => null);
  const bySource = new Map<string, Array<{ index: number; nativeId: string }>>();
  keys.forEach((key, index) => {
    const parsed = parseNodeKey(key, options.keyParts ?? 1);
    const source = parsed && readableSource(context, parsed.sourceId);
    // A crafted id (`..`, `a/b`) never reaches the provider: it names nothing.
    if (!parsed || !source || !parsed.nativeIds.every((id) => isNativeIdOf(source, options.loader, id))) return;
    // Already carried by one of this request's payloads: no call.
    const known = options.known?.get(key);
    if (known !== undefined) {
      results[index] = known;
      return;
    }
    const group = bySource.get(parsed.sourceId) ?? [];
    group.push({ index, nativeId: parsed.nativeIds.join(':') });
    bySource.set(parsed.sourceId, group);
  });

  await Promise.all(
    [...bySource].map(async ([sourceId, group]) => {
      const source = readableSource(context, sourceId)!;
      context.gateway.metrics?.onLoaderBatch(options.loader, sourceId, group.length);
      try {
        const found = await fetch(source, group.map((g) => g.nativeId), context);
        group.forEach((g, i) => (results[g.index] = found[i] ?? null));
      } catch (error) {
        if (error instanceof UpstreamNotFound) return;
        const failure = sourceFailure(error, sourceId);
        group.forEach((g) => (results[g.index] = failure));
      }
    }),
  );
  return results;
}

/** Reports a batch to the metrics as its keys per source, like `loadByKey` does for its own. */
export function recordBatch(context: RequestContext, loader: string, sourceIds: readonly string[]): void {
  const metrics = context.gateway.metrics;
  if (!metrics) return;
  const sizes = new Map<string, number>();
  for (const sourceId of sourceIds) sizes.set(sourceId, (sizes.get(sourceId) ?? 0) + 1);
  for (const [sourceId, size] of sizes) metrics.onLoaderBatch(loader, sourceId, size);
}

/** Whether `nativeId` has the shape `source`'s provider gives ids of this node type. */
export function isNativeIdOf(source: SourceClient, kind: NativeIdKind, nativeId: string): boolean {
  return adapters[source.provider].nativeIds[kind].test(nativeId);
}

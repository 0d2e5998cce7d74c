import { readableSource, type RequestContext } from '../context.js';
import { UpstreamNotFound } from '../http/errors.js';
import { sourceFailure } from '../errors.js';
import { parseNodeKey } from '../node-key.js';
import type { SourceClient } from '../providers/adapter.js';

/**
 * The batch function behind every node DataLoader: groups keys by source, makes one
 * batched adapter call per source, and answers each key with its object, null (unknown,
 * malformed, or a source the caller may not read, which must look the same), or the
 * source's coded error so that only the fields that needed it fail.
 */
export async function loadByKey<T>(
  context: RequestContext,
  keys: readonly string[],
  fetch: (source: SourceClient, nativeIds: string[], context: RequestContext) => Promise<Array<T | null>>,
  keyParts = 1,
): Promise<Array<T | null | Error>> {
  const results: Array<T | null | Error> = keys.map(() => null);
  const bySource = new Map<string, Array<{ index: number; nativeId: string }>>();
  keys.forEach((key, index) => {
    const parsed = parseNodeKey(key, keyParts);
    if (!parsed || !readableSource(context, parsed.sourceId)) return;
    const group = bySource.get(parsed.sourceId) ?? [];
    group.push({ index, nativeId: parsed.nativeIds.join(':') });
    bySource.set(parsed.sourceId, group);
  });

  await Promise.all(
    [...bySource].map(async ([sourceId, group]) => {
      const source = readableSource(context, sourceId)!;
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

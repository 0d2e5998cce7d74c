/**
 * Keys of nodes inside Parley: the source id and the provider's native id(s), joined so
 * that no native id can break the split. The Relay plugin wraps them (with the type name)
 * into the opaque global ids clients see.
 */
export function nodeKey(sourceId: string, ...nativeIds: string[]): string {
  // Called for every node of every page: the common one-id case builds no arrays.
  if (nativeIds.length === 1) return `${sourceId}:${encodeKeyPart(nativeIds[0]!)}`;
  return [sourceId, ...nativeIds.map(encodeKeyPart)].join(':');
}

/** Native ids are mostly digits, UUIDs or slugs, which `encodeURIComponent` leaves as they are. */
const UNRESERVED = /^[\w.~-]+$/;

function encodeKeyPart(nativeId: string): string {
  return UNRESERVED.test(nativeId) ? nativeId : encodeURIComponent(nativeId);
}

export interface ParsedKey {
  sourceId: string;
  nativeIds: string[];
}

/** Parses a key made by `nodeKey`; null for anything else. */
export function parseNodeKey(key: string, parts = 1): ParsedKey | null {
  const pieces = key.split(':');
  if (pieces.length !== parts + 1 || pieces.some((p) => p.length === 0)) return null;
  try {
    return { sourceId: pieces[0]!, nativeIds: pieces.slice(1).map(decodeURIComponent) };
  } catch {
    return null;
  }
}

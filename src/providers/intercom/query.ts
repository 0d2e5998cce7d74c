import type { IntercomListNative, SearchFilter } from './filters.js';

/** The search query of a plan, once tag names are ids (docs/providers/intercom.md section 4). Pure. */

export type SearchQuery = SearchFilter | { operator: 'AND'; value: SearchFilter[] };

/**
 * A plan's filters as one query, or null when its tags name no tag of the workspace
 * (nothing can match). With no filter at all, every conversation: `updated_at > 0`.
 */
export function searchQuery(native: IntercomListNative, tagIds: ReadonlyMap<string, string>): SearchQuery | null {
  const filters = [...native.filters];
  const { anyOf, allOf } = native.tags ?? {};
  if (anyOf) {
    const ids = anyOf.flatMap((name) => (tagIds.has(name) ? [tagIds.get(name)!] : []));
    if (ids.length === 0) return null;
    filters.push({ field: 'tag_ids', operator: 'IN', value: ids });
  }
  for (const name of allOf ?? []) {
    const id = tagIds.get(name);
    if (id === undefined) return null;
    filters.push({ field: 'tag_ids', operator: '=', value: id });
  }
  if (filters.length === 0) return { field: 'updated_at', operator: '>', value: 0 };
  return filters.length === 1 ? filters[0]! : { operator: 'AND', value: filters };
}

import { pathSegment } from '../../http/path-segment.js';
import type { CallScope } from '../../http/upstream-client.js';
import { emptyIncluded } from '../../domain/model.js';
import type { PartsPage, PartsRequest } from '../adapter.js';
import { createIncludedCollector, mapPart, partAdmins } from './mapper.js';
import { orNull } from '../kit/not-found.js';
import { DECIMAL_ID, MAX_PAGE, type CarrotGet } from './request.js';
import { partsResponseSchema, type CarrotPart } from './schemas.js';

/**
 * One page of a conversation's parts, oldest first, after `afterPartId`. Walks
 * provider pages until `first` parts (and one more, to know a next page exists) are read.
 */
export async function listCarrotParts(get: CarrotGet, sourceId: string, request: PartsRequest, scope: CallScope): Promise<PartsPage> {
  const empty: PartsPage = { parts: [], hasNextPage: false, totalCount: null, included: emptyIncluded() };
  const { conversationId, afterPartId } = request;
  if (!DECIMAL_ID.test(conversationId) || (afterPartId !== null && !DECIMAL_ID.test(afterPartId))) return empty;
  const want = Math.max(0, Math.floor(request.first));
  const rows: CarrotPart[] = [];
  let position: readonly (string | number)[] = [afterPartId ?? 0];
  let hasNextPage = false;
  for (;;) {
    // One row beyond `want` tells whether a next page exists without another call.
    const count = Math.min(want - rows.length + 1, MAX_PAGE);
    const body = await orNull(
      get(
        'conversations.parts',
        `/conversations/${pathSegment(conversationId)}/parts`,
        {
          paginate_direction: 'after',
          paginate_page_order: 'asc',
          paginate_count: count,
          paginate_position: JSON.stringify(position),
        },
        partsResponseSchema,
        scope,
      ),
    );
    if (!body) return empty;
    rows.push(...body.data);
    const next = body.meta.next_after_position ?? null;
    if (rows.length > want) {
      hasNextPage = true;
      break;
    }
    if (next === null || body.data.length === 0) break;
    // A position is null once the page holds the last row (docs/provider-assumptions.md).
    if (rows.length === want) {
      hasNextPage = true;
      break;
    }
    // A position that does not move would repeat the same page forever.
    if (JSON.stringify(next) === JSON.stringify(position)) break;
    position = next;
  }
  const collector = createIncludedCollector(sourceId);
  const page = rows.slice(0, want);
  // The parts themselves are the answer; what they nest is the admins of `from`.
  for (const admin of page.flatMap(partAdmins)) collector.admin(admin);
  const parts = page.map((part) => mapPart(part, conversationId, sourceId));
  return { parts, hasNextPage, totalCount: null, included: collector.result() };
}

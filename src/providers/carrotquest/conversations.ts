import { pathSegment } from '../../http/path-segment.js';
import { readRows } from '../../http/payload-rows.js';
import type { CallScope } from '../../http/upstream-client.js';
import { emptyIncluded } from '../../domain/model.js';
import type { ConversationDetail, FilterPlan, ListPage, ListRequest } from '../adapter.js';
import { listQueryParams, type CarrotListNative } from './filters.js';
import { collectIncluded, mapConversation, toMicros, type MapContext } from './mapper.js';
import { orNull } from '../kit/not-found.js';
import { MAX_PAGE, perId, type CarrotGet } from './request.js';
import {
  carrotId,
  conversationPositionSchema,
  conversationResponseSchema,
  conversationSchema,
  listResponseSchema,
  rowPosition,
  type ConversationPosition,
} from './schemas.js';

/** The list leaves `channel` out unless asked (docs/provider-assumptions.md). */
const LIST_INCLUDE = JSON.stringify(['channel']);
const DETAIL_INCLUDE = JSON.stringify(['user', 'channel', 'part_last', 'reply_last', 'important_part_last']);

/** What the conversation reads of one app need. */
export interface ConversationCalls {
  appPath: string;
  get: CarrotGet;
  mapContext: () => MapContext;
}

/** One page of the app's conversations, newest activity first, resuming at a `[last_update, "id"]` position. */
export async function listCarrotConversations(calls: ConversationCalls, request: ListRequest, scope: CallScope): Promise<ListPage> {
  const native = nativeOf(request.plan);
  if (request.plan.empty) return { rows: [], next: null, totalCount: null, included: emptyIncluded() };
  const position = request.continuation ?? request.hint;
  if (position !== null && !isConversationPosition(position)) {
    throw new TypeError(`Carrot quest resumes from [last_update, "id"], got ${JSON.stringify(position)}`);
  }
  const body = await calls.get(
    'conversations.list',
    `${calls.appPath}/conversations`,
    {
      ...listQueryParams(native.query),
      include: LIST_INCLUDE,
      paginate_direction: 'before',
      paginate_count: clamp(request.want, 1, MAX_PAGE),
      paginate_position: position === null ? undefined : JSON.stringify(position),
    },
    listResponseSchema,
    scope,
  );
  const context = calls.mapContext();
  const { rows: conversations, dropped } = readRows(body.data, conversationSchema, 'data');
  const rows = conversations.map((conversation) => ({
    conversation: mapConversation(conversation, context),
    hint: [conversation.last_update, carrotId(conversation.id)] as const,
  }));
  // The rows say where to resume; meta only whether to (an empty page has no position).
  const last = rowPosition(body.data);
  const pastRange = last !== null && native.stopBelowMicros !== undefined && toMicros(last[0]) < native.stopBelowMicros;
  const next = last === null || pastRange || !body.meta.next_before_position ? null : last;
  return { rows, next, totalCount: null, included: collectIncluded(conversations, context), dropped };
}

/** Conversations by id, one call each, with what their payloads nest. */
export function getCarrotConversations(calls: ConversationCalls, ids: readonly string[], scope: CallScope): Promise<Array<ConversationDetail | null>> {
  return perId(ids, async (id): Promise<ConversationDetail | null> => {
    const body = await orNull(
      calls.get('conversations.get', `/conversations/${pathSegment(id)}`, { include: DETAIL_INCLUDE }, conversationResponseSchema, scope),
    );
    if (!body) return null;
    const context = calls.mapContext();
    return { conversation: mapConversation(body.data, context), included: collectIncluded([body.data], context) };
  });
}

/** `[last_update, "id"]`: exactly what this adapter writes as a hint. */
export function isConversationPosition(value: unknown): value is ConversationPosition {
  return (
    Array.isArray(value) &&
    typeof value[1] === 'string' &&
    Number.isFinite(value[0]) &&
    conversationPositionSchema.safeParse(value).success
  );
}

function nativeOf(plan: FilterPlan): CarrotListNative {
  const native = plan.native as Partial<CarrotListNative> | null;
  if (!native || typeof native !== 'object' || typeof native.query !== 'object') {
    throw new TypeError('listConversations needs a plan made by this source\'s planFilter');
  }
  return native as CarrotListNative;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}

import type { z } from 'zod';
import { UpstreamNotFound } from '../../http/errors.js';
import { pathSegment } from '../../http/path-segment.js';
import type { CallScope, QueryValue } from '../../http/upstream-client.js';
import type { Admin, Channel, ConversationPart } from '../../model.js';
import { emptyIncluded } from '../../model.js';
import type {
  ConversationDetail,
  FilterPlan,
  ListPage,
  ListRequest,
  PartsPage,
  PartsRequest,
  ResumeHint,
  SourceClient,
  SourceRuntime,
} from '../adapter.js';
import type { CarrotListNative } from './filters.js';
import { listQueryParams, planCarrotFilter } from './filters.js';
import {
  collectIncluded,
  createIncludedCollector,
  mapAdmin,
  mapChannel,
  mapConversation,
  mapPart,
  mapUser,
  partAdmins,
  toMicros,
} from './mapper.js';
import type { CarrotChannel, CarrotPart, CarrotQuestConfig, ConversationPosition } from './schemas.js';
import {
  carrotId,
  channelsResponseSchema,
  conversationPositionSchema,
  conversationSchema,
  rowPosition,
  conversationResponseSchema,
  listResponseSchema,
  partsResponseSchema,
  userResponseSchema,
} from './schemas.js';
import { ListCache } from '../list-cache.js';
import { readRows } from '../../http/payload-rows.js';

export interface CarrotQuestSourceOptions {
  /**
   * How long the channel list (which also answers admin lookups) is reused across requests.
   * @default 60000
   */
  channelsTtlMs?: number;
}

/** The v2 maximum of `paginate_count` for lists and parts (providers.md 1.3). */
export const MAX_PAGE = 50;

const DECIMAL_ID = /^[0-9]+$/;
/** The list leaves `channel` out unless asked (docs/provider-assumptions.md). */
const LIST_INCLUDE = JSON.stringify(['channel']);
const DETAIL_INCLUDE = JSON.stringify(['user', 'channel', 'part_last', 'reply_last', 'important_part_last']);

interface ChannelDirectory {
  channels: Channel[];
  byId: Map<string, Channel>;
  /** Channel operators: the only admins Carrot quest can be asked about. */
  admins: Map<string, Admin>;
}

export function createCarrotQuestSource(
  sourceId: string,
  config: CarrotQuestConfig,
  runtime: SourceRuntime,
  options: CarrotQuestSourceOptions = {},
): SourceClient {
  const appPath = `/apps/${config.appId}`;
  const headers = { authorization: `Token ${config.token}` };
  const mapContext = () => ({ sourceId, now: runtime.now() });

  function get<Schema extends z.ZodType>(
    endpoint: string,
    path: string,
    query: Record<string, QueryValue>,
    schema: Schema,
    scope: CallScope,
  ): Promise<z.output<Schema>> {
    // Ids are 64-bit: every call asks for them as strings (providers.md 1.2).
    // A page never maps more rows than `paginate_count` asked for, whatever the provider sent.
    const rows = typeof query.paginate_count === 'number' ? { rows: { path: 'data', max: query.paginate_count } } : {};
    return runtime.http.getJson({ endpoint, path, query: { id_as_string: 'true', ...query }, headers, ...rows }, schema, scope);
  }

  const channelDirectory = new ListCache<ChannelDirectory>(options.channelsTtlMs ?? runtime.listCacheTtlMs ?? 60_000, runtime.now, async (scope) => {
    const body = await get('channels.list', `${appPath}/channels`, {}, channelsResponseSchema, scope);
    return buildDirectory(body.data, sourceId);
  }, { sourceId, cache: 'channels.list' });

  return {
    sourceId,
    provider: 'carrotquest',
    pageSizes: { conversations: MAX_PAGE, parts: MAX_PAGE },

    planFilter: (filter) => planCarrotFilter(filter),

    async listConversations(request: ListRequest, scope: CallScope): Promise<ListPage> {
      const native = nativeOf(request.plan);
      if (request.plan.empty) return { rows: [], next: null, totalCount: null, included: emptyIncluded() };
      const position = request.continuation ?? request.hint;
      if (position !== null && !isConversationPosition(position)) {
        throw new TypeError(`Carrot quest resumes from [last_update, "id"], got ${JSON.stringify(position)}`);
      }
      const body = await get(
        'conversations.list',
        `${appPath}/conversations`,
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
      const context = mapContext();
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
    },

    getConversations(ids, scope) {
      return perId(ids, async (id): Promise<ConversationDetail | null> => {
        const body = await orNull(
          get('conversations.get', `/conversations/${pathSegment(id)}`, { include: DETAIL_INCLUDE }, conversationResponseSchema, scope),
        );
        if (!body) return null;
        const context = mapContext();
        return { conversation: mapConversation(body.data, context), included: collectIncluded([body.data], context) };
      });
    },

    async getPart(conversationId: string, partId: string, scope: CallScope): Promise<ConversationPart | null> {
      if (!DECIMAL_ID.test(partId) || partId === '0') return null;
      // Parts page by id: the one part after its predecessor id is the part itself, if it exists.
      const page = await this.listParts({ conversationId, first: 1, afterPartId: (BigInt(partId) - 1n).toString() }, scope);
      return page.parts[0]?.nativeId === partId ? page.parts[0] : null;
    },

    async listParts(request: PartsRequest, scope: CallScope): Promise<PartsPage> {
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
    },

    getUsers(ids, scope) {
      return perId(ids, async (id) => {
        const body = await orNull(get('users.get', `/users/${pathSegment(id)}`, {}, userResponseSchema, scope));
        return body ? mapUser(body.data, sourceId) : null;
      });
    },

    async getAdmins(ids, scope) {
      const { admins } = await channelDirectory.get(scope);
      return ids.map((id) => admins.get(id) ?? null);
    },

    async getChannels(ids, scope) {
      const { byId } = await channelDirectory.get(scope);
      return ids.map((id) => byId.get(id) ?? null);
    },

    async listChannels(scope) {
      return (await channelDirectory.get(scope)).channels;
    },

    isValidHint: (hint: unknown): hint is ResumeHint => isConversationPosition(hint),
  };
}

function nativeOf(plan: FilterPlan): CarrotListNative {
  const native = plan.native as Partial<CarrotListNative> | null;
  if (!native || typeof native !== 'object' || typeof native.query !== 'object') {
    throw new TypeError('listConversations needs a plan made by this source\'s planFilter');
  }
  return native as CarrotListNative;
}

/** `[last_update, "id"]`: exactly what this adapter writes as a hint. */
function isConversationPosition(value: unknown): value is ConversationPosition {
  return (
    Array.isArray(value) &&
    typeof value[1] === 'string' &&
    Number.isFinite(value[0]) &&
    conversationPositionSchema.safeParse(value).success
  );
}

/** One call per distinct id, in parallel; ids Carrot quest cannot have are null without a call. */
async function perId<T>(ids: readonly string[], fetchOne: (id: string) => Promise<T | null>): Promise<Array<T | null>> {
  const calls = new Map<string, Promise<T | null>>();
  for (const id of ids) {
    if (DECIMAL_ID.test(id) && !calls.has(id)) calls.set(id, fetchOne(id));
  }
  return Promise.all(ids.map((id) => calls.get(id) ?? null));
}

/** A 404 means "no such object" for lookups. */
async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof UpstreamNotFound) return null;
    throw error;
  }
}

function buildDirectory(payload: readonly CarrotChannel[], sourceId: string): ChannelDirectory {
  const channels = payload.map((channel) => mapChannel(channel, sourceId));
  const admins = new Map<string, Admin>();
  for (const operator of payload.flatMap((channel) => channel.operators ?? [])) {
    const admin = mapAdmin(operator, sourceId);
    if (admin && !admins.has(admin.nativeId)) admins.set(admin.nativeId, admin);
  }
  return { channels, byId: new Map(channels.map((channel) => [channel.nativeId, channel])), admins };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}

import type { CallScope } from '../../http/upstream-client.js';
import type { Admin, Channel } from '../../domain/model.js';
import { ListCache } from '../kit/list-cache.js';
import { mapAdmin, mapChannel } from './mapper.js';
import type { ReamazeCalls } from './request.js';
import { channelListSchema, staffListSchema } from './schemas.js';

/** The brand's staff and channels: rarely changing lists, reused across requests for a TTL. */
export interface ReamazeDirectory {
  /** Staff by email (case-insensitive), null where none. */
  admins(ids: readonly string[], scope: CallScope): Promise<Array<Admin | null>>;
  /** Channels by slug, null where none. */
  channels(ids: readonly string[], scope: CallScope): Promise<Array<Channel | null>>;
  allChannels(scope: CallScope): Promise<Channel[]>;
}

/**
 * Staff pages read at most: a brand has tens of staff, and a broken or hostile `page_count`
 * (a billion) must cost a bounded number of calls, not an array of a billion promises.
 */
const MAX_STAFF_PAGES = 20;

export function createReamazeDirectory(sourceId: string, calls: ReamazeCalls, ttlMs: number, now: () => number): ReamazeDirectory {
  const loadStaff = async (scope: CallScope): Promise<Admin[]> => {
    const fetchPage = (page: number) =>
      calls.getCollection({ endpoint: 'staff.list', path: '/api/v1/staff', query: { page } }, staffListSchema, scope);
    const first = await fetchPage(1);
    const rest = await Promise.all(
      Array.from({ length: Math.min(MAX_STAFF_PAGES, Math.max(0, Math.floor(first.page_count))) - 1 }, (_, i) => fetchPage(i + 2)),
    );
    return [first, ...rest].flatMap((page) => page.staff.map((staff) => mapAdmin(sourceId, staff)));
  };

  const loadChannels = async (scope: CallScope): Promise<Channel[]> => {
    const body = await calls.getCollection({ endpoint: 'channels.list', path: '/api/v1/channels' }, channelListSchema, scope);
    return body.channels.map((channel) => mapChannel(sourceId, channel));
  };

  const staffCache = new ListCache<Admin[]>(ttlMs, now, (scope) => loadStaff(scope), { sourceId, cache: 'staff.list' });
  const channelCache = new ListCache<Channel[]>(ttlMs, now, (scope) => loadChannels(scope), { sourceId, cache: 'channels.list' });

  return {
    async admins(ids, scope) {
      const byEmail = new Map((await staffCache.get(scope)).map((admin) => [admin.nativeId, admin]));
      return ids.map((id) => byEmail.get(id.toLowerCase()) ?? null);
    },
    async channels(ids, scope) {
      const bySlug = new Map((await channelCache.get(scope)).map((channel) => [channel.nativeId, channel]));
      return ids.map((id) => bySlug.get(id) ?? null);
    },
    allChannels: (scope) => channelCache.get(scope),
  };
}

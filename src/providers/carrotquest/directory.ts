import type { Admin, Channel } from '../../domain/model.js';
import { ListCache } from '../kit/list-cache.js';
import { mapAdmin, mapChannel } from './mapper.js';
import type { CarrotGet } from './request.js';
import { channelsResponseSchema, type CarrotChannel } from './schemas.js';

/** The app's channels, which also name every admin Carrot quest can be asked about. */
export interface ChannelDirectory {
  channels: Channel[];
  byId: Map<string, Channel>;
  /** Channel operators: the only admins Carrot quest can be asked about. */
  admins: Map<string, Admin>;
}

/** The channel list, reused across requests for `ttlMs`. */
export function createChannelDirectory(
  sourceId: string,
  appPath: string,
  get: CarrotGet,
  ttlMs: number,
  now: () => number,
): ListCache<ChannelDirectory> {
  return new ListCache<ChannelDirectory>(ttlMs, now, async (scope) => {
    const body = await get('channels.list', `${appPath}/channels`, {}, channelsResponseSchema, scope);
    return buildDirectory(body.data, sourceId);
  }, { sourceId, cache: 'channels.list' });
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

import { readRows } from '../../http/payload-rows.js';
import type { Admin, Channel } from '../../domain/model.js';
import { ListCache } from '../kit/list-cache.js';
import { mapAdmin, mapTeam } from './mapper.js';
import type { IntercomCalls } from './request.js';
import { adminListSchema, adminSchema, idOf, tagListSchema, tagSchema, teamListSchema, teamSchema } from './schemas.js';

/** The workspace's rarely changing lists, each reused across requests for `ttlMs` (docs/providers/intercom.md section 8). */
export interface IntercomDirectory {
  /** Teammates by id (`GET /admins`). */
  admins: ListCache<Map<string, Admin>>;
  /** Team inboxes, Parley's channels (`GET /teams`). */
  teams: ListCache<{ list: Channel[]; byId: Map<string, Channel> }>;
  /** Tag name -> tag id (`GET /tags`), for tag filters. */
  tagIds: ListCache<Map<string, string>>;
}

export function createDirectory(sourceId: string, calls: IntercomCalls, ttlMs: number, now: () => number): IntercomDirectory {
  return {
    admins: new ListCache(ttlMs, now, async (scope) => {
      const body = await calls.readCollection({ endpoint: 'admins.list', path: '/admins' }, adminListSchema, scope);
      const admins = readRows(body.admins, adminSchema, 'admins').rows.map((admin) => mapAdmin(admin, sourceId));
      return new Map(admins.map((admin) => [admin.nativeId, admin]));
    }, { sourceId, cache: 'admins.list' }),
    teams: new ListCache(ttlMs, now, async (scope) => {
      const body = await calls.readCollection({ endpoint: 'teams.list', path: '/teams' }, teamListSchema, scope);
      const list = readRows(body.teams, teamSchema, 'teams').rows.map((team) => mapTeam(team, sourceId));
      return { list, byId: new Map(list.map((team) => [team.nativeId, team])) };
    }, { sourceId, cache: 'teams.list' }),
    tagIds: new ListCache(ttlMs, now, async (scope) => {
      const body = await calls.readCollection({ endpoint: 'tags.list', path: '/tags' }, tagListSchema, scope);
      // Names compare exactly, as Parley's tag filter does (docs/provider-assumptions.md).
      return new Map(readRows(body.data, tagSchema, 'data').rows.map((tag) => [tag.name, idOf(tag.id)!]));
    }, { sourceId, cache: 'tags.list' }),
  };
}

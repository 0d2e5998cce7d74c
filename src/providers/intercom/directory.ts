import { readRows } from '../../http/payload-rows.js';
import type { CallScope } from '../../http/upstream-client.js';
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
  /** Tag name -> tag id (`GET /tags`), for tag filters and tag writes. */
  tagIds: TagNames;
}

/** The workspace's tags by name: the cached list, plus the tags Parley created since it was loaded. */
export interface TagNames {
  get(scope: CallScope): Promise<ReadonlyMap<string, string>>;
  /** A tag Parley just created or looked up: found by name before the list is loaded again. */
  learn(name: string, id: string): void;
}

/** Tags learned between two loads of the list; past this many the oldest are forgotten (the next load has them). */
const MAX_LEARNED = 500;

function createTagNames(list: ListCache<Map<string, string>>): TagNames {
  const learned = new Map<string, string>();
  return {
    async get(scope) {
      const loaded = await list.get(scope);
      if (learned.size === 0) return loaded;
      // A name the list already maps to the same id needs no overlay any more.
      for (const [name, id] of learned) if (loaded.get(name) === id) learned.delete(name);
      return learned.size === 0 ? loaded : new Map([...loaded, ...learned]);
    },
    learn(name, id) {
      learned.delete(name);
      learned.set(name, id);
      if (learned.size > MAX_LEARNED) learned.delete(learned.keys().next().value!);
    },
  };
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
    tagIds: createTagNames(new ListCache(ttlMs, now, async (scope) => {
      const body = await calls.readCollection({ endpoint: 'tags.list', path: '/tags' }, tagListSchema, scope);
      // Names compare exactly, as Parley's tag filter does (docs/provider-assumptions.md).
      return new Map(readRows(body.data, tagSchema, 'data').rows.map((tag) => [tag.name, idOf(tag.id)!]));
    }, { sourceId, cache: 'tags.list' })),
  };
}

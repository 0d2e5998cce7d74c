import { LRUCache } from 'lru-cache';
import type { CallScope } from '../../http/upstream-client.js';
import { emptyIncluded, type Admin, type Channel, type Conversation, type ConversationPart, type Included } from '../../domain/model.js';
import { ListCache } from '../kit/list-cache.js';
import { BOT_ID_PREFIX } from './mapper.js';

const DECIMAL = /^\d+$/;

export interface DirectoryLoaders {
  agents: (scope: CallScope) => Promise<Admin[]>;
  inboxes: (scope: CallScope) => Promise<Channel[]>;
}

/**
 * The account's admins and channels. Agents and inboxes are unpaginated lists that rarely
 * change, so they are kept across requests for a TTL; agent bots have no list endpoint
 * and are known from the conversation payloads that carried them.
 */
export class ChatwootDirectory {
  private readonly agents: ListCache<Map<string, Admin>>;
  private readonly inboxes: ListCache<Map<string, Channel>>;
  /** Bounded: bots are learnt from payloads, which never say when one is gone. */
  private readonly bots = new LRUCache<string, Admin>({ max: 1000 });

  constructor(ttlMs: number, now: () => number, load: DirectoryLoaders, sourceId: string) {
    const byId = <T extends { nativeId: string }>(nodes: T[]) => new Map(nodes.map((node) => [node.nativeId, node]));
    this.agents = new ListCache(ttlMs, now, async (scope) => byId(await load.agents(scope)), { sourceId, cache: 'agents.list' });
    this.inboxes = new ListCache(ttlMs, now, async (scope) => byId(await load.inboxes(scope)), { sourceId, cache: 'inboxes.list' });
  }

  rememberBots(admins: readonly Admin[]): void {
    for (const admin of admins) if (admin.isBot) this.bots.set(admin.nativeId, admin);
  }

  /** Agents from the (cached) agents list; `bot:` ids from the bots payloads carried, else null. */
  async admins(ids: readonly string[], scope: CallScope): Promise<Array<Admin | null>> {
    const agents = ids.some((id) => DECIMAL.test(id)) ? await this.agents.get(scope) : undefined;
    return ids.map((id) => (id.startsWith(BOT_ID_PREFIX) ? this.bots.get(id) : agents?.get(id)) ?? null);
  }

  async channels(ids: readonly string[], scope: CallScope): Promise<Array<Channel | null>> {
    const inboxes = ids.some((id) => DECIMAL.test(id)) ? await this.inboxes.get(scope) : undefined;
    return ids.map((id) => inboxes?.get(id) ?? null);
  }

  async allChannels(scope: CallScope): Promise<Channel[]> {
    return [...(await this.inboxes.get(scope)).values()];
  }

  /** Inboxes and agents already cached cost nothing, so a warm list page primes them too. */
  cachedFor(conversations: readonly Conversation[]): Included {
    const inboxes = this.inboxes.peek();
    const channels = inboxes ? conversations.flatMap((conversation) => inboxes.get(conversation.channelId ?? '') ?? []) : [];
    const parts = conversations.flatMap((conversation) => [conversation.lastPart, conversation.lastReply]);
    return { ...this.cachedAuthors(parts.filter((part) => part !== null)), channels };
  }

  /** The cached agents who wrote these parts. */
  cachedAuthors(parts: readonly ConversationPart[]): Included {
    const agents = this.agents.peek();
    if (!agents) return emptyIncluded();
    const admins = parts.flatMap((part) => (part.author?.kind === 'ADMIN' ? (agents.get(part.author.id) ?? []) : []));
    return { ...emptyIncluded(), admins };
  }
}

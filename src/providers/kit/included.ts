import type { Admin, Channel, ConversationPart, Included, User } from '../../domain/model.js';

type Kind = keyof Included;
type ObjectOf<K extends Kind> = Included[K][number];

/**
 * The nested objects of one or more payloads, one per type and native id. The first copy
 * of an object wins: callers add what they just read before cached directory copies, so a
 * fresh read is never replaced by an older one (the request's loaders keep the same rule).
 */
export class IncludedCollector {
  private readonly maps: { [K in Kind]: Map<string, ObjectOf<K>> } = {
    users: new Map<string, User>(),
    admins: new Map<string, Admin>(),
    channels: new Map<string, Channel>(),
    parts: new Map<string, ConversationPart>(),
  };

  has(kind: Kind, nativeId: string): boolean {
    return this.maps[kind].has(nativeId);
  }

  /** Keeps `object` unless one with its native id is already there. */
  keep<K extends Kind>(kind: K, object: ObjectOf<K>): void {
    const map = this.maps[kind] as Map<string, ObjectOf<K>>;
    if (!map.has(object.nativeId)) map.set(object.nativeId, object);
  }

  add(included: Included): void {
    for (const user of included.users) this.keep('users', user);
    for (const admin of included.admins) this.keep('admins', admin);
    for (const channel of included.channels) this.keep('channels', channel);
    for (const part of included.parts) this.keep('parts', part);
  }

  toIncluded(): Included {
    const { users, admins, channels, parts } = this.maps;
    return { users: [...users.values()], admins: [...admins.values()], channels: [...channels.values()], parts: [...parts.values()] };
  }
}

/** One `Included` from several, freshest first: the first copy of each object wins. */
export function mergeIncluded(...all: readonly Included[]): Included {
  const collector = new IncludedCollector();
  for (const included of all) collector.add(included);
  return collector.toIncluded();
}

import type { Admin, Channel, ConversationPart, Included, User } from '../../domain/model.js';

/** Merges nested objects by type and native id; the later payload wins. */
export class IncludedCollector {
  private readonly maps = {
    users: new Map<string, User>(),
    admins: new Map<string, Admin>(),
    channels: new Map<string, Channel>(),
    parts: new Map<string, ConversationPart>(),
  };

  add(included: Included): void {
    for (const user of included.users) this.maps.users.set(user.nativeId, user);
    for (const admin of included.admins) this.maps.admins.set(admin.nativeId, admin);
    for (const channel of included.channels) this.maps.channels.set(channel.nativeId, channel);
    for (const part of included.parts) this.maps.parts.set(part.nativeId, part);
  }

  toIncluded(): Included {
    const { users, admins, channels, parts } = this.maps;
    return {
      users: [...users.values()],
      admins: [...admins.values()],
      channels: [...channels.values()],
      parts: [...parts.values()],
    };
  }
}

export function mergeIncluded(...all: Included[]): Included {
  const collector = new IncludedCollector();
  for (const included of all) collector.add(included);
  return collector.toIncluded();
}

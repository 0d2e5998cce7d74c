import type { Conversation, ConversationPart } from '../domain/model.js';
import type { EventKind } from './events.js';

/**
 * What the detector remembers of a conversation between two reads, and the pure diff
 * that turns two reads into events. A field that changed twice between two reads shows
 * only its final value: a provider that answers with snapshots allows no better. Parts are
 * read after the last one seen, so each new part makes one event.
 */
export interface Snapshot {
  status: string;
  assigneeId: string | null;
  tags: string[];
  lastPartId: string | null;
  lastUpdateMicros: number;
  unreadCount: number | null;
  /** Epoch ms of the read this snapshot came from (absent in snapshots stored before it was kept). */
  readAtMs?: number;
}

export function snapshotOf(conversation: Conversation, lastPartId: string | null, readAtMs: number): Snapshot {
  return {
    status: conversation.status,
    assigneeId: conversation.assigneeId,
    tags: [...conversation.tags].sort(),
    lastPartId,
    lastUpdateMicros: conversation.lastUpdateMicros,
    unreadCount: conversation.unreadCount,
    readAtMs,
  };
}

export interface Change {
  kind: EventKind;
  part: ConversationPart | null;
}

/**
 * The changes from `previous` to `conversation`, given the parts read after the previous
 * last part (oldest first). Without a previous snapshot, only what happened after
 * `watermark` (epoch ms, when the source's detection began) is new.
 */
export function diffSnapshot(previous: Snapshot | null, conversation: Conversation, parts: readonly ConversationPart[], watermark: number): Change[] {
  const added = (list: readonly ConversationPart[]) => list.map((part): Change => ({ kind: 'PART_ADDED', part }));
  if (previous === null) {
    if (conversation.createdAt >= watermark) return [{ kind: 'CONVERSATION_CREATED', part: null }, ...added(parts)];
    const recent = parts.filter((part) => part.createdAt >= watermark);
    if (recent.length > 0) return added(recent);
    return conversation.lastUpdateMicros / 1000 >= watermark ? [{ kind: 'CONVERSATION_UPDATED', part: null }] : [];
  }
  const changes: Change[] = [];
  if (conversation.status !== previous.status) changes.push({ kind: 'STATUS_CHANGED', part: null });
  if (conversation.assigneeId !== previous.assigneeId) changes.push({ kind: 'ASSIGNED', part: null });
  if (!sameTags(conversation.tags, previous.tags)) changes.push({ kind: 'TAGS_CHANGED', part: null });
  changes.push(...added(parts));
  if ((previous.unreadCount ?? 0) > 0 && conversation.unreadCount === 0) changes.push({ kind: 'READ', part: null });
  if (changes.length === 0 && conversation.lastUpdateMicros > previous.lastUpdateMicros) changes.push({ kind: 'CONVERSATION_UPDATED', part: null });
  return changes;
}

function sameTags(current: readonly string[], previous: readonly string[]): boolean {
  if (current.length !== previous.length) return false;
  const sorted = [...current].sort();
  return sorted.every((tag, index) => tag === previous[index]);
}

import type { Admin, Attachment, AuthorRef, ConversationPart, PartKind, User } from '../../domain/model.js';
import { numberOf } from '../kit/wire.js';
import { mapAuthor, PROVIDER } from './mapper.js';
import { partId } from './part-ids.js';
import type { ReamazeMessage, ReamazeMessageUser } from './schemas.js';

/**
 * Re:amaze messages -> conversation parts (providers.md 4.2). Messages have no ids: a
 * part is named by its place in the oldest-first thread (see `part-ids.ts`).
 */

function messageKind(message: ReamazeMessage): PartKind {
  const visibility = numberOf(message.visibility);
  if (visibility === 1) return 'NOTE';
  if (visibility === 2) return 'SYSTEM';
  if (message.user?.['bot?']) return 'BOT_REPLY';
  return message.user?.['staff?'] ? 'ADMIN_REPLY' : 'USER_REPLY';
}

function mapAttachments(message: ReamazeMessage): Attachment[] {
  return (message.attachments ?? []).flatMap((file) =>
    file.url
      ? [{ name: file.file_file_name ?? null, url: file.url, contentType: file.file_content_type ?? null, size: numberOf(file.file_file_size) }]
      : [],
  );
}

export interface MappedMessage {
  part: ConversationPart;
  /** The message's author, as a User (customer) or an Admin (staff or bot), for priming loaders. */
  user: User | null;
  admin: Admin | null;
}

export function mapMessage(sourceId: string, slug: string, index: number, message: ReamazeMessage): MappedMessage {
  const sender = message.user;
  const byStaff = sender ? Boolean(sender['staff?'] || sender['bot?']) : false;
  const admin = sender && byStaff ? messageAdmin(sourceId, sender) : null;
  const user = sender && !byStaff ? mapAuthor(sourceId, sender) : null;
  const author: AuthorRef | null = admin
    ? { kind: 'ADMIN', id: admin.nativeId }
    : user
      ? { kind: 'USER', id: user.nativeId }
      : null;
  return {
    part: {
      sourceId,
      provider: PROVIDER,
      nativeId: partId(slug, index),
      raw: message,
      conversationId: slug,
      createdAt: Date.parse(message.created_at),
      kind: messageKind(message),
      nativeType: String(numberOf(message.visibility) ?? 0),
      body: message.body ?? null,
      internal: numberOf(message.visibility) === 1,
      author,
      attachments: mapAttachments(message),
    },
    user,
    admin,
  };
}

function messageAdmin(sourceId: string, sender: ReamazeMessageUser): Admin | null {
  const email = sender.email?.trim();
  if (!email) return null;
  return {
    sourceId,
    provider: PROVIDER,
    nativeId: email.toLowerCase(),
    raw: sender,
    name: sender.name || null,
    email,
    avatarUrl: null,
    isBot: Boolean(sender['bot?']),
  };
}

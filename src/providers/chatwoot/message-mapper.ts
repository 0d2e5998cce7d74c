import type { Attachment, AuthorRef, ConversationPart, PartKind } from '../../domain/model.js';
import { keyed, keyOf, numberOf } from '../kit/wire.js';
import { BOT_ID_PREFIX, type MapContext } from './map-context.js';
import type { ChatwootAttachment, ChatwootMessage } from './schemas.js';
import { nonEmpty, toMillis } from './wire-values.js';

const MESSAGE_TYPES = ['incoming', 'outgoing', 'activity', 'template'] as const;

export function mapMessage(message: ChatwootMessage, ctx: MapContext, conversationId: string): ConversationPart {
  const type = messageTypeName(message.message_type);
  const author = authorOf(message);
  return {
    sourceId: ctx.sourceId,
    provider: 'chatwoot',
    nativeId: String(message.id),
    raw: message,
    conversationId: message.conversation_id == null ? conversationId : String(message.conversation_id),
    createdAt: toMillis(message.created_at) ?? 0,
    kind: partKind(type, message.private === true, author),
    nativeType: type,
    body: message.content ?? null,
    internal: message.private === true,
    author,
    attachments: (message.attachments ?? []).flatMap((attachment) => mapAttachment(attachment)),
  };
}

/** `incoming`, `outgoing`, ... from the numeric or named `message_type`. */
export function messageTypeName(value: number | string): string {
  const code = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : null;
  if (code !== null) return MESSAGE_TYPES[code] ?? String(code);
  return String(value);
}

function partKind(type: string, isPrivate: boolean, author: AuthorRef | null): PartKind {
  if (isPrivate) return 'NOTE';
  switch (type) {
    case 'incoming':
      return 'USER_REPLY';
    case 'outgoing':
      return author?.kind === 'ADMIN' && author.id.startsWith(BOT_ID_PREFIX) ? 'BOT_REPLY' : 'ADMIN_REPLY';
    case 'template':
      return 'BOT_REPLY';
    default:
      return 'SYSTEM';
  }
}

/** The sender object names its kind in `type`; the raw `sender_type` column is the fallback. */
function authorOf(message: ChatwootMessage): AuthorRef | null {
  // A sender written as `{}` (the API reference's example) leaves the raw columns to say who it was.
  const sender = keyed(message.sender);
  const kind = sender?.type ?? senderTypeName(message.sender_type);
  const senderId = keyOf(sender?.id ?? message.sender_id);
  if (senderId === null) return null;
  switch (kind) {
    case 'contact':
      return { kind: 'USER', id: String(senderId) };
    case 'user':
      return { kind: 'ADMIN', id: String(senderId) };
    case 'agent_bot':
      return { kind: 'ADMIN', id: BOT_ID_PREFIX + String(senderId) };
    default:
      return null;
  }
}

function senderTypeName(senderType: string | null | undefined): string | null {
  if (senderType === 'Contact') return 'contact';
  if (senderType === 'User') return 'user';
  if (senderType === 'AgentBot') return 'agent_bot';
  return null;
}

function mapAttachment(attachment: ChatwootAttachment): Attachment[] {
  const url = nonEmpty(attachment.data_url);
  if (url === null) return [];
  return [{ name: fileNameOf(url), url, contentType: null, size: numberOf(attachment.file_size) }];
}

/** ActiveStorage URLs end with the file name. */
function fileNameOf(url: string): string | null {
  try {
    const last = new URL(url).pathname.split('/').pop();
    return last ? decodeURIComponent(last) : null;
  } catch {
    return null;
  }
}

import type { ReplyRequest } from '../write-contract.js';
import type { ChatwootMessage } from './schemas.js';
import { toMillis } from './wire-values.js';

/** Where Parley puts a reply's marker: `content_attributes`, which Chatwoot stores as sent. */
export const MARKER_KEY = 'parley_marker';

/** How far the provider's clock (and its whole-second `created_at`) may trail Parley's. */
export const CLOCK_SKEW_MS = 5_000;

/** The marker a message carries, or null when it has none (its `content_attributes` were dropped, or it is not Parley's). */
export function markerOf(message: ChatwootMessage): string | null {
  const attributes = (message as { content_attributes?: unknown }).content_attributes;
  if (attributes === null || typeof attributes !== 'object') return null;
  const marker = (attributes as Record<string, unknown>)[MARKER_KEY];
  return typeof marker === 'string' ? marker : null;
}

/**
 * The message `request` created, among `messages` (one page of the thread): the one
 * carrying its marker; else, for a server that dropped the marker, the first unmarked
 * message of the same kind from the acting agent with exactly the same body, created no
 * earlier than the first attempt (less the clock skew), so an older identical reply is
 * never taken for this one.
 */
export function matchReply(messages: readonly ChatwootMessage[], request: ReplyRequest, userId: string): ChatwootMessage | null {
  const byMarker = messages.find((message) => markerOf(message) === request.marker);
  if (byMarker) return byMarker;
  const earliest = request.firstAttemptAt - CLOCK_SKEW_MS;
  return (
    messages.find(
      (message) =>
        markerOf(message) === null &&
        isOutgoing(message) &&
        (message.private === true) === request.internal &&
        senderUserId(message) === userId &&
        message.content === request.body &&
        (toMillis(message.created_at) ?? 0) >= earliest,
    ) ?? null
  );
}

function isOutgoing(message: ChatwootMessage): boolean {
  return message.message_type === 1 || message.message_type === '1' || message.message_type === 'outgoing';
}

/** The agent (a `User`, not a bot or contact) who sent the message. */
function senderUserId(message: ChatwootMessage): string | null {
  const sender = message.sender;
  const isUser = sender?.type === 'user' || (sender?.type == null && message.sender_type === 'User');
  const id = sender?.id ?? message.sender_id;
  return isUser && id !== null && id !== undefined ? String(id) : null;
}

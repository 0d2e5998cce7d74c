import type { ConversationPart } from '../../domain/model.js';
import type { ReplyRequest } from '../write-contract.js';
import type { IntercomPart } from './schemas.js';

/**
 * Which part of a thread a reply made. Intercom keeps no idempotency key, client id or
 * marker on a part, so a reply is known by its author, its type, its body and its time:
 * written by the acting teammate, a comment or a note as asked, with the body sent (as
 * sent, or as the HTML paragraphs Intercom may store plain text as), and created no
 * earlier than the first attempt started (less the clock skew), so an older identical
 * message is never taken for it. Pure.
 */
/**
 * How far Intercom's clock (and its whole-second `created_at`) may trail Parley's: a reply
 * that landed must not be missed, or it would be sent again once the settle time passed.
 */
const CLOCK_SKEW_MS = 5_000;

export function isReplyOf(part: ConversationPart, request: ReplyRequest, adminId: string): boolean {
  const raw = part.raw as IntercomPart;
  return (
    part.nativeType === (request.internal ? 'note' : 'comment') &&
    raw.author?.type === 'admin' &&
    part.author?.kind === 'ADMIN' &&
    part.author.id === adminId &&
    typeof raw.created_at === 'number' &&
    raw.created_at >= Math.floor((request.firstAttemptAt - CLOCK_SKEW_MS) / 1000) &&
    sameBody(raw.body ?? null, request.body)
  );
}

/** The oldest part the reply may have made (a read-back: the first attempt's, if several landed). */
export function findReplyPart(parts: readonly ConversationPart[], request: ReplyRequest, adminId: string): ConversationPart | null {
  return parts.find((part) => isReplyOf(part, request, adminId)) ?? null;
}

/** The newest such part (the answer to the reply just sent). */
export function newestReplyPart(parts: readonly ConversationPart[], request: ReplyRequest, adminId: string): ConversationPart | null {
  return parts.findLast((part) => isReplyOf(part, request, adminId)) ?? null;
}

/** Whether a stored body is the text sent: byte for byte, or once read back from HTML paragraphs. */
export function sameBody(stored: string | null, sent: string): boolean {
  if (stored === null) return false;
  return stored === sent || normalise(textOfHtml(stored)) === normalise(sent);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#x27': "'", nbsp: '\u00a0' };

/** Paragraphs and line breaks become line ends, the escaped characters themselves; other markup stays. */
function textOfHtml(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p>/gi, '\n')
    .replace(/^\s*<p>/i, '')
    .replace(/<\/p>\s*$/i, '')
    .replace(/&(amp|lt|gt|quot|apos|#39|#x27|nbsp);/gi, (_match, name: string) => ENTITIES[name.toLowerCase()]!);
}

function normalise(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[ \t\u00a0]+$/gm, '').trim();
}

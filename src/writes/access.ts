import { GraphQLError } from 'graphql';
import { ErrorCode, USER_ERROR_CODES } from '../errors/codes.js';
import { parseNodeKey } from '../domain/node-key.js';
import type { SourceClient } from '../providers/adapter.js';
import { adapters } from '../providers/registry.js';
import type { WriteAction } from '../providers/write-actions.js';
import type { SourceWriter } from '../providers/write-contract.js';
import type { UserError } from './input-limits.js';

/**
 * Who may write what (design.md section 10): a key writes only with `write: true`; a
 * conversation it may not read is NOT_FOUND exactly like one that does not exist; a source
 * without the action, or without an identity for this key, is UNSUPPORTED_BY_SOURCE.
 */

/** What a request's caller may write: from its API key (or the top-level `actAs` without keys). */
export interface WriteAccess {
  /** The key may run mutations at all. */
  readonly allowed: boolean;
  /** Names the caller in idempotency records (a digest of the key, never the key). */
  readonly caller: string;
  /** The identity its writes act as, per source id (parsed by the provider's schema). */
  readonly actAs: ReadonlyMap<string, unknown>;
}

export const READ_ONLY: WriteAccess = { allowed: false, caller: 'read-only', actAs: new Map() };

export interface WriteTarget {
  readonly source: SourceClient;
  readonly writer: SourceWriter;
  readonly actor: unknown;
  /** The conversation's native id. */
  readonly conversationId: string;
}

/** The top-level refusal of a key without `write`: nothing is looked up, nothing is sent. */
export function forbidden(): GraphQLError {
  return new GraphQLError('this API key may not write: set `write: true` (and an `actAs` identity per source) for it in the config', {
    extensions: { code: ErrorCode.FORBIDDEN, http: { status: 403 } },
  });
}

export function notFound(field: string, what: string): UserError {
  return { code: USER_ERROR_CODES.NOT_FOUND, message: `no such ${what}`, field: [field] };
}

/** The source, writer and identity for a write on the conversation behind `key`, or the user error. */
export function resolveTarget(
  access: WriteAccess,
  readable: (sourceId: string) => SourceClient | undefined,
  key: string,
  actions: readonly WriteAction[],
): WriteTarget | UserError {
  const parsed = parseNodeKey(key);
  const source = parsed ? readable(parsed.sourceId) : undefined;
  if (!parsed || !source || !adapters[source.provider].nativeIds.Conversation.test(parsed.nativeIds[0]!)) return notFound('conversationId', 'conversation');
  const writer = source.writer;
  const missing = actions.find((action) => !writer?.actions.has(action));
  if (!writer || missing) {
    return { code: 'UNSUPPORTED_BY_SOURCE', message: `source "${source.sourceId}" cannot ${describeAction(missing ?? actions[0]!)}`, field: null };
  }
  if (!access.actAs.has(source.sourceId)) {
    return { code: 'UNSUPPORTED_BY_SOURCE', message: `this API key has no identity to write as in source "${source.sourceId}" (config \`actAs\`)`, field: null };
  }
  return { source, writer, actor: access.actAs.get(source.sourceId), conversationId: parsed.nativeIds[0]! };
}

/** The admin's native id, or the user error: an admin of another source is never sent upstream. */
export function adminOf(target: WriteTarget, adminKey: string): string | UserError {
  const parsed = parseNodeKey(adminKey);
  if (!parsed) return notFound('adminId', 'admin');
  if (parsed.sourceId !== target.source.sourceId) {
    return { code: 'ADMIN_OF_ANOTHER_SOURCE', message: `the admin belongs to another source than the conversation ("${target.source.sourceId}")`, field: ['adminId'] };
  }
  if (!adapters[target.source.provider].nativeIds.Admin.test(parsed.nativeIds[0]!)) return notFound('adminId', 'admin');
  return parsed.nativeIds[0]!;
}

const ACTION_WORDS: Record<WriteAction, string> = {
  REPLY: 'reply',
  NOTE: 'add internal notes',
  OPEN: 'reopen a conversation',
  PENDING: 'set a conversation pending',
  SNOOZE: 'snooze a conversation',
  CLOSE: 'close a conversation',
  ASSIGN: 'assign a conversation',
  UNASSIGN: 'unassign a conversation',
  TAG: 'add tags',
  UNTAG: 'remove tags',
  MARK_READ: 'mark a conversation read',
};

export function describeAction(action: WriteAction): string {
  return ACTION_WORDS[action];
}

export function isUserError(value: unknown): value is UserError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value && 'field' in value;
}

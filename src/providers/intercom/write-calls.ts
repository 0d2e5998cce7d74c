import type { z } from 'zod';
import { ErrorCode } from '../../errors/codes.js';
import { SourceError, UpstreamNotFound } from '../../http/errors.js';
import { parseJson } from '../../http/json.js';
import { pathSegment } from '../../http/path-segment.js';
import { readPayload, type UpstreamResponse } from '../../http/payload.js';
import type { CallScope } from '../../http/upstream-client.js';
import { DECIMAL_ID } from '../native-ids.js';
import { WriteRefused } from '../write-contract.js';
import type { IntercomDirectory } from './directory.js';
import type { IntercomCalls, WriteRequest } from './request.js';
import { actAsSchema, errorListSchema, type IntercomActor } from './schemas.js';

/** A write's answer: a 2xx, or a status the write reads itself (`answerStatuses`) with its `error.list` code. */
export type WriteAnswer = { readonly ok: true; readonly response: UpstreamResponse } | { readonly ok: false; readonly status: number; readonly code: string | null };

export interface IntercomWriteCalls {
  /** `/conversations/{id}`; an id Intercom cannot have names no conversation, and nothing is sent. */
  conversationPath(conversationId: string): string;
  /** The acting teammate: the declared identity, checked against the workspace's admins before anything is sent. */
  actor(actor: unknown, scope: CallScope): Promise<IntercomActor>;
  /** One write, sent once. */
  send(request: WriteRequest, scope: CallScope): Promise<WriteAnswer>;
  /** A 2xx answer checked against `schema`; an unreadable one still means the write was made. */
  read<Schema extends z.ZodType>(endpoint: string, response: UpstreamResponse, schema: Schema): z.output<Schema>;
}

export function createIntercomWriteCalls(sourceId: string, calls: IntercomCalls, directory: IntercomDirectory): IntercomWriteCalls {
  const noIdentity = (message: string) => new SourceError(ErrorCode.SOURCE_AUTH_FAILED, message, { sourceId, retryable: false, failure: 'refused', maybeApplied: false });
  return {
    conversationPath(conversationId) {
      if (!DECIMAL_ID.test(conversationId)) throw new UpstreamNotFound('conversations: not an Intercom conversation id');
      return `/conversations/${pathSegment(conversationId)}`;
    },
    async actor(actor, scope) {
      const parsed = actAsSchema.safeParse(actor);
      if (!parsed.success) throw noIdentity('the acting identity is not an Intercom teammate (`adminId`)');
      // Intercom's answer to an unknown `admin_id` looks like an unknown conversation (404): ask the directory first.
      const admins = await directory.admins.get(scope);
      if (!admins.has(parsed.data.adminId)) throw noIdentity('the acting `adminId` is not a teammate of this Intercom workspace');
      return parsed.data;
    },
    async send(request, scope) {
      const response = await calls.send(request, scope);
      if (response.status >= 200 && response.status < 300) return { ok: true, response };
      return { ok: false, status: response.status, code: errorCode(response.body) };
    },
    read(endpoint, response, schema) {
      try {
        return readPayload(sourceId, endpoint, response, schema);
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        throw new SourceError(error.code, error.message, { ...error.details, retryable: false, maybeApplied: true });
      }
    },
  };
}

/** The first `errors[].code` of an `error.list` body: a fixed word such as `parameter_invalid`, never free text. */
function errorCode(body: string): string | null {
  try {
    const parsed = errorListSchema.safeParse(parseJson(body));
    const code = parsed.success ? parsed.data.errors?.[0]?.code : null;
    return code && /^[a-z_]{1,60}$/.test(code) ? code : null;
  } catch {
    return null;
  }
}

/** A refusal the caller can act on, naming the status and Intercom's error code (never its message). */
export function refused(what: string, answer: Extract<WriteAnswer, { ok: false }>, field: string, reason: WriteRefused['reason'] = 'REJECTED'): WriteRefused {
  const code = answer.code ? ` ${answer.code}` : '';
  return new WriteRefused(reason, `Intercom refused the ${what} (HTTP ${answer.status}${code})`, field);
}

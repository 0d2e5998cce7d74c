import { ErrorCode } from '../../errors/codes.js';
import { SourceError, UpstreamNotFound } from '../../http/errors.js';
import { parseJson } from '../../http/json.js';
import { pathSegment } from '../../http/path-segment.js';
import { readPayload, type UpstreamResponse } from '../../http/payload.js';
import type { CallScope } from '../../http/upstream-types.js';
import type { ConversationPart } from '../../domain/model.js';
import type { ConversationDetail, SourceRuntime } from '../adapter.js';
import type { WriteAction } from '../write-actions.js';
import type { CarrotGet } from './request.js';
import { DECIMAL_ID } from './request.js';
import { carrotId, writeResponseSchema, type CarrotQuestConfig } from './schemas.js';

/**
 * One Carrot quest write: a form POST (or DELETE) on a conversation, sent exactly once
 * (the HTTP layer never retries a write). What it did comes back as an outcome: a new part,
 * nothing changed (empty `data`), or a named 400 the caller maps. 404 stays
 * `UpstreamNotFound`; every other failure is the HTTP layer's coded error, which says
 * whether the write may have been applied.
 */

export type WriteOutcome =
  | { readonly kind: 'created'; readonly partId: string }
  | { readonly kind: 'unchanged' }
  /** A 400 with the provider's error name (`ReplyTooBig`, `ConversationTagAlreadyAssigned`, `BadRequest`, ...). */
  | { readonly kind: 'refused'; readonly error: string };

export interface CarrotWriteCall {
  /** The metrics label, e.g. `conversations.reply`. */
  readonly endpoint: string;
  readonly method: 'POST' | 'DELETE';
  readonly conversationId: string;
  /** The path's last segment: `reply`, `close`, `assign`, `tag`. */
  readonly action: string;
  readonly form: Record<string, string | number>;
}

export type CarrotWrite = (call: CarrotWriteCall, scope: CallScope) => Promise<WriteOutcome>;

export function createCarrotWrite(sourceId: string, config: Pick<CarrotQuestConfig, 'token'>, runtime: SourceRuntime): CarrotWrite {
  const headers = { authorization: `Token ${config.token}` };
  return async (call, scope) => {
    // An id Carrot quest cannot have names no conversation: nothing is sent.
    if (!DECIMAL_ID.test(call.conversationId)) throw new UpstreamNotFound(`${call.endpoint}: not found`);
    const response = await runtime.http.request(
      {
        endpoint: call.endpoint,
        method: call.method,
        path: `/conversations/${pathSegment(call.conversationId)}/${call.action}`,
        // Ids come back as strings, as on reads (providers.md 1.2); the rest travels as form fields.
        query: { id_as_string: 'true' },
        headers,
        body: { form: call.form },
        answerStatuses: [400],
      },
      scope,
    );
    if (response.status === 400) return { kind: 'refused', error: refusalName(sourceId, call.endpoint, response) };
    return readOutcome(sourceId, call.endpoint, response);
  };
}

/** A 2xx answer: the write happened, so an unreadable body leaves only its result unknown. */
function readOutcome(sourceId: string, endpoint: string, response: UpstreamResponse): WriteOutcome {
  let body;
  try {
    body = readPayload(sourceId, endpoint, response, writeResponseSchema);
  } catch (error) {
    if (error instanceof SourceError) throw new SourceError(error.code, error.message, { ...error.details, maybeApplied: true });
    throw error;
  }
  const data = body.data as { id?: unknown } | null;
  if (data && typeof data === 'object' && 'id' in data && (typeof data.id === 'string' || typeof data.id === 'number')) {
    return { kind: 'created', partId: carrotId(data.id) };
  }
  return { kind: 'unchanged' };
}

/** The error name of a 400 envelope; a 400 without one is a refusal Parley cannot read. */
function refusalName(sourceId: string, endpoint: string, response: UpstreamResponse): string {
  let parsed: unknown;
  try {
    parsed = parseJson(response.body);
  } catch {
    parsed = undefined;
  }
  const error = (parsed as { meta?: { error?: unknown } } | undefined)?.meta?.error;
  if (typeof error === 'string' && /^[A-Za-z]{1,80}$/.test(error)) return error;
  throw new SourceError(ErrorCode.UPSTREAM_BAD_RESPONSE, `${endpoint} refused the write with HTTP 400 and no error name`, {
    sourceId,
    status: 400,
    retryable: false,
    failure: 'refused',
    maybeApplied: false,
  });
}

/** What the writer needs of the source: its write and read calls. */
export interface WriterDeps {
  readonly sourceId: string;
  readonly actions: readonly WriteAction[];
  readonly write: CarrotWrite;
  readonly get: CarrotGet;
  /** The conversation after a write, or null when it cannot be read (the write stands either way). */
  readDetail(conversationId: string, scope: CallScope): Promise<ConversationDetail | null>;
  readPart(conversationId: string, partId: string, scope: CallScope): Promise<ConversationPart | null>;
}

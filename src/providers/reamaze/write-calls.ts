import type { z } from 'zod';
import { ErrorCode } from '../../errors/codes.js';
import { SourceError } from '../../http/errors.js';
import { readPayload } from '../../http/payload.js';
import type { CallScope, UpstreamClient, UpstreamRequest } from '../../http/upstream-client.js';
import { reamazeActAsSchema, refusalSchema, type ReamazeActor, type ReamazeConfig } from './schemas.js';

/** A write's answer: the provider's object, or the fields it refused (422). */
export type WriteAnswer<T> = { ok: true; status: number; body: T } | { ok: false; fields: string[] };

export interface ReamazeWriteCalls {
  /**
   * One JSON write, sent once (the HTTP layer never retries a POST or PUT) as `actor`.
   * A 422 resolves as the refused fields; other failures reject as for reads.
   */
  send<Schema extends z.ZodType>(
    request: Pick<UpstreamRequest, 'endpoint' | 'path' | 'method'> & { json: unknown },
    actor: unknown,
    schema: Schema,
    scope: CallScope,
  ): Promise<WriteAnswer<z.output<Schema>>>;
}

/**
 * Writes log in as the acting staff member: Re:amaze attributes a message to the login
 * (post_messages: "attributed to the user of the current authentication"). The header is
 * built per call and handed to the HTTP layer only, never logged or kept.
 */
export function createReamazeWriteCalls(
  sourceId: string,
  config: Pick<ReamazeConfig, 'email' | 'token'>,
  http: Pick<UpstreamClient, 'request'>,
): ReamazeWriteCalls {
  return {
    async send(request, actor, schema, scope) {
      const authorization = basicFor(sourceId, config, actor);
      const response = await http.request(
        {
          endpoint: request.endpoint,
          path: request.path,
          method: request.method,
          headers: { authorization, accept: 'application/json' },
          body: { json: request.json },
          answerStatuses: [422],
        },
        scope,
      );
      if (response.status === 422) return { ok: false, fields: refusedFields(response.body) };
      return { ok: true, status: response.status, body: readPayload(sourceId, request.endpoint, response, schema) };
    },
  };
}

function basicFor(sourceId: string, config: Pick<ReamazeConfig, 'email' | 'token'>, actor: unknown): string {
  const parsed = reamazeActAsSchema.safeParse(actor);
  if (!parsed.success) throw noIdentity(sourceId, 'the acting identity is not a Re:amaze staff login (`staffEmail`, `apiToken`)');
  const who: ReamazeActor = parsed.data;
  if (who.apiToken !== undefined) return basic(who.staffEmail, who.apiToken);
  if (who.staffEmail.toLowerCase() === config.email.toLowerCase()) return basic(config.email, config.token);
  throw noIdentity(sourceId, 'the acting staff member has no API token and is not the source login');
}

function basic(email: string, token: string): string {
  return `Basic ${Buffer.from(`${email}:${token}`, 'utf8').toString('base64')}`;
}

function noIdentity(sourceId: string, message: string): SourceError {
  return new SourceError(ErrorCode.SOURCE_AUTH_FAILED, message, { sourceId, retryable: false, failure: 'refused', maybeApplied: false });
}

/** The field names a 422 names (`errors` keys); none when its body says only `error` or is no JSON. */
function refusedFields(body: string): string[] {
  try {
    const parsed = refusalSchema.safeParse(JSON.parse(body));
    return parsed.success ? Object.keys(parsed.data.errors ?? {}) : [];
  } catch {
    return [];
  }
}

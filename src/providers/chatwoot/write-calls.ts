import type { z } from 'zod';
import { ErrorCode } from '../../errors/codes.js';
import { SourceError, UpstreamNotFound } from '../../http/errors.js';
import { pathSegment } from '../../http/path-segment.js';
import { readPayload } from '../../http/payload.js';
import type { CallScope, UpstreamClient, UpstreamRequest, UpstreamResponse } from '../../http/upstream-client.js';
import { DECIMAL } from './request.js';
import { chatwootActAsSchema, type ChatwootActor, type ChatwootConfig } from './schemas.js';

/** One write to a conversation: `action` is the path after `/conversations/{id}/`. */
export interface ConversationWrite {
  endpoint: string;
  action: string;
  /** A JSON body. @default none */
  json?: unknown;
  /** 4xx statuses read as answers (a 422 `{"error"}`). @default none */
  answerStatuses?: readonly number[];
}

export interface ChatwootWriteCalls {
  /** The path of a conversation's route; an id that is no display id is no conversation. */
  conversationPath(conversationId: string): string;
  /** The acting agent, checked against the declared identity schema. */
  actorOf(actor: unknown): ChatwootActor;
  /** Sends one write as `actor`, once: the HTTP layer never retries a POST. */
  send(conversationId: string, write: ConversationWrite, actor: ChatwootActor, scope: CallScope): Promise<UpstreamResponse>;
  /**
   * A 2xx write answer, checked against `schema`. An unreadable one still means the write
   * was carried out, so its error says the change may have been applied.
   */
  read<Schema extends z.ZodType>(endpoint: string, response: UpstreamResponse, schema: Schema): z.output<Schema>;
}

export function createChatwootWriteCalls(sourceId: string, config: Pick<ChatwootConfig, 'accountId' | 'token'>, http: Pick<UpstreamClient, 'request'>): ChatwootWriteCalls {
  const conversationPath = (conversationId: string) => {
    if (!DECIMAL.test(conversationId)) throw new UpstreamNotFound('conversations: not a Chatwoot display id');
    return `/api/v1/accounts/${config.accountId}/conversations/${pathSegment(conversationId)}`;
  };
  return {
    conversationPath,
    actorOf(actor) {
      const parsed = chatwootActAsSchema.safeParse(actor);
      if (parsed.success) return parsed.data;
      throw new SourceError(ErrorCode.SOURCE_AUTH_FAILED, 'the acting identity is not a Chatwoot agent (`userId`, `apiAccessToken`)', {
        sourceId,
        retryable: false,
        failure: 'refused',
        maybeApplied: false,
      });
    },
    send(conversationId, write, actor, scope) {
      // Chatwoot attributes a write to the token's user: the agent's own token when configured.
      const request: UpstreamRequest = {
        endpoint: write.endpoint,
        path: `${conversationPath(conversationId)}/${write.action}`,
        method: 'POST',
        headers: { api_access_token: actor.apiAccessToken ?? config.token },
        ...(write.json === undefined ? {} : { body: { json: write.json } }),
        ...(write.answerStatuses ? { answerStatuses: write.answerStatuses } : {}),
      };
      return http.request(request, scope);
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

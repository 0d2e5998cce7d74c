import { orNull } from '../kit/not-found.js';
import { pathSegment } from '../../http/path-segment.js';
import type { CallScope } from '../../http/upstream-client.js';
import { emptyIncluded, type Included } from '../../domain/model.js';
import type { PartsPage, PartsRequest } from '../adapter.js';
import type { ChatwootDirectory } from './directory.js';
import { IncludedCollector } from '../kit/included.js';
import { mapContact, mapMessage, senderIncluded, type MapContext } from './mapper.js';
import { MESSAGES_AFTER_LIMIT, servedMessages } from './parts.js';
import { DECIMAL, type ChatwootCalls } from './request.js';
import { messageListSchema, type ChatwootMessage } from './schemas.js';

/** What reading one account's message threads needs. */
export interface MessageReads {
  ctx: MapContext;
  calls: ChatwootCalls;
  directory: ChatwootDirectory;
}

/** One page of a conversation's messages after `afterPartId`, oldest first, with the senders they carried. */
export async function listChatwootMessages(reads: MessageReads, request: PartsRequest, scope: CallScope): Promise<PartsPage> {
  const { conversationId, afterPartId } = request;
  const none: PartsPage = { parts: [], hasNextPage: false, totalCount: null, included: emptyIncluded() };
  if (!DECIMAL.test(conversationId) || (afterPartId !== null && !DECIMAL.test(afterPartId))) return none;
  // `after` alone answers up to 100 messages with a greater id, oldest first; `after=0` starts at the first.
  // A 404: no such conversation, so no parts.
  const body = await orNull(
    reads.calls.get(
      {
        endpoint: 'messages.list',
        path: `${reads.calls.accountPath}/conversations/${pathSegment(conversationId)}/messages`,
        query: { after: afterPartId ?? '0' },
        rows: { path: 'payload', max: MESSAGES_AFTER_LIMIT },
      },
      messageListSchema,
      scope,
    ),
  );
  if (!body) return none;
  const { served, hasNextPage } = servedMessages(body.payload, request.first);
  const parts = served.map((message) => mapMessage(message, reads.ctx, conversationId));

  const included = new IncludedCollector();
  if (body.meta?.contact) included.add({ ...emptyIncluded(), users: [mapContact(body.meta.contact, reads.ctx)] });
  for (const message of served) included.add(senderNodes(reads, message));
  included.add(reads.directory.cachedAuthors(parts));
  return { parts, hasNextPage, totalCount: null, included: included.toIncluded() };
}

function senderNodes(reads: MessageReads, message: ChatwootMessage): Included {
  const node = senderIncluded(message, reads.ctx);
  if (node === null) return emptyIncluded();
  if (node.kind === 'user') return { ...emptyIncluded(), users: [node.node] };
  reads.directory.rememberBots([node.node]);
  return { ...emptyIncluded(), admins: [node.node] };
}

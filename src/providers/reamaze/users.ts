import type { CallScope } from '../../http/upstream-client.js';
import type { User } from '../../domain/model.js';
import { mapAuthor, userIdOf } from './mapper.js';
import { orNull } from '../kit/not-found.js';
import { type ReamazeCalls } from './request.js';
import { conversationListSchema } from './schemas.js';

/** The prefix of user ids that are SSO ids (customers without an email); see `userIdOf`. */
const SSO_PREFIX = 'sso:';

/**
 * Re:amaze has no contact-by-id endpoint: a customer is read from the author of one
 * of their conversations (`for=<email>`, or `for_id=<SSO id>`; page 1 only).
 */
export async function getReamazeUser(sourceId: string, calls: ReamazeCalls, id: string, scope: CallScope): Promise<User | null> {
  const sso = id.startsWith(SSO_PREFIX) ? id.slice(SSO_PREFIX.length) : null;
  if (sso === null && !id.includes('@')) return null;
  const query = sso === null ? { for: id, filter: 'all' } : { for_id: sso, filter: 'all' };
  const body = await orNull(calls.get({ endpoint: 'users.lookup', path: '/api/v1/conversations', query }, conversationListSchema, scope));
  const author = body?.conversations.find((conversation) => conversation.author && userIdOf(conversation.author) === id)?.author;
  return author ? mapAuthor(sourceId, author) : null;
}

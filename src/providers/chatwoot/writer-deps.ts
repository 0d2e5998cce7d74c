import type { CallScope } from '../../http/upstream-client.js';
import type { ConversationDetail } from '../adapter.js';
import type { ConversationReads } from './conversations.js';
import type { ChatwootWriteCalls } from './write-calls.js';

/** What the write modules of one account share. */
export interface WriterDeps {
  writes: ChatwootWriteCalls;
  reads: ConversationReads;
  /**
   * The conversation as Chatwoot holds it after a write (one GET with the source's token).
   * Null when that read fails: the write stands, and its result must not look like a failure.
   */
  detailAfter(conversationId: string, scope: CallScope): Promise<ConversationDetail | null>;
}

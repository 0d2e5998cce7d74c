import { EventEmitter } from 'node:events';
import type { ConversationPart } from '../domain/model.js';
import type { WriteAction } from '../providers/write-actions.js';

/**
 * Writes made through this replica, as they succeed: the live-events feed subscribes here
 * so a client sees its own change before the provider's echo arrives.
 */
export interface ConversationWritten {
  readonly sourceId: string;
  /** The conversation's native id. */
  readonly conversationId: string;
  readonly action: WriteAction;
  /** The part a reply or note created, when the provider answered with it. */
  readonly part?: ConversationPart;
  /** Epoch ms. */
  readonly at: number;
}

export interface WriteEvents {
  /** Calls `listener` for every write that succeeds from now on; returns the unsubscribe. */
  onConversationWritten(listener: (event: ConversationWritten) => void): () => void;
  emit(event: ConversationWritten): void;
}

export function createWriteEvents(): WriteEvents {
  const emitter = new EventEmitter();
  // One listener per live subscription: many may be open at once.
  emitter.setMaxListeners(0);
  return {
    onConversationWritten(listener) {
      emitter.on('written', listener);
      return () => void emitter.off('written', listener);
    },
    emit(event) {
      // A failing listener must not turn a write that succeeded into an error.
      for (const listener of emitter.listeners('written') as Array<(event: ConversationWritten) => void>) {
        try {
          listener(event);
        } catch {
          // the listener's own failure
        }
      }
    },
  };
}

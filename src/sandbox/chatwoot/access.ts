import type { SimRequest, SimResponse } from '../kit/simulator-server.js';
import type { CwActor } from './auth.js';
import { actionNotAllowed, resourceNotFound } from './errors.js';
import { castInteger } from './params.js';
import type { CwConversation } from './records.js';
import type { ChatwootStore } from './store.js';

/**
 * `find_by!(display_id:)`, then Pundit's `show?`: administrators, or members of the
 * conversation's inbox. The display id is the `:displayId` route parameter. Agent bots
 * pass here (the simulator does not model which inboxes a bot is connected to).
 */
export function conversationFor(store: ChatwootStore, request: SimRequest, actor: CwActor): { response: SimResponse } | { conversation: CwConversation } {
  const displayId = castInteger(request.params.displayId ?? '');
  const conversation = displayId === null ? undefined : store.conversation(displayId);
  if (!conversation) return { response: resourceNotFound() };
  if (actor.kind === 'user' && !store.assignedInboxIds(actor.user).includes(conversation.inboxId)) return { response: actionNotAllowed() };
  return { conversation };
}

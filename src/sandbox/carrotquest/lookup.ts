import type { SimResponse } from '../kit/simulator-server.js';
import type { Call } from './access.js';
import { notFound, permissionDenied } from './errors.js';
import type { ConversationRecord } from './records.js';
import type { CarrotquestStore } from './store.js';

/** Unknown ids are 404; a conversation of another app is 403 (docs/provider-assumptions.md). */
export function findConversation(
  store: CarrotquestStore,
  call: Call,
  id: string | undefined,
): { conversation: ConversationRecord; refusal?: never } | { conversation?: never; refusal: SimResponse } {
  const conversation = id !== undefined && /^\d{1,20}$/.test(id) ? store.conversation(BigInt(id).toString()) : undefined;
  if (!conversation) return { refusal: notFound() };
  if (!ownApp(store, call)) return { refusal: permissionDenied() };
  return { conversation };
}

export const ownApp = (store: CarrotquestStore, call: Call): boolean => call.appId === store.appId;

import { DECIMAL_ID, type NativeIdShapes } from '../native-ids.js';

/** Every Carrot quest id is a 64-bit number, carried as its decimal string. */
export const carrotquestNativeIds: NativeIdShapes = {
  Conversation: DECIMAL_ID,
  ConversationPart: DECIMAL_ID,
  User: DECIMAL_ID,
  Admin: DECIMAL_ID,
  Channel: DECIMAL_ID,
};

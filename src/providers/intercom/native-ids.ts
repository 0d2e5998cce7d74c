import { DECIMAL_ID, type NativeIdShapes } from '../native-ids.js';

/**
 * Conversations, parts, admins and teams have decimal ids; contacts have opaque ones
 * (24 hex digits in every example), so any short id of letters, digits, `_` and `-`.
 */
export const intercomNativeIds: NativeIdShapes = {
  Conversation: DECIMAL_ID,
  ConversationPart: DECIMAL_ID,
  User: /^[A-Za-z0-9_-]{1,64}$/,
  Admin: DECIMAL_ID,
  Channel: DECIMAL_ID,
};

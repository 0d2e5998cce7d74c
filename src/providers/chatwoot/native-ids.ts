import { DECIMAL_ID, type NativeIdShapes } from '../native-ids.js';

/** Chatwoot ids are integers; an agent bot's admin id is `bot:<id>` (mapper.ts `BOT_ID_PREFIX`). */
export const chatwootNativeIds: NativeIdShapes = {
  Conversation: DECIMAL_ID,
  ConversationPart: DECIMAL_ID,
  User: DECIMAL_ID,
  Admin: /^(bot:)?[0-9]{1,20}$/,
  Channel: DECIMAL_ID,
};

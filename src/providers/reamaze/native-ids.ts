import type { NativeIdShapes } from '../native-ids.js';

/** Re:amaze slugs are lowercase words joined by dashes; starting with a letter or digit rules out `.` and `..`. */
const SLUG = '[A-Za-z0-9][A-Za-z0-9_.~-]{0,199}';
const EMAIL = '[^\\s@]{1,128}@[^\\s@]{1,255}';

/**
 * Conversations and channels by slug, parts as `<slug>#<index>` or `<slug>#u<epoch ms>`
 * (part-ids.ts), staff by email, customers by email, `sso:<id>` or `contact:<id>` (mapper.ts `userIdOf`).
 */
export const reamazeNativeIds: NativeIdShapes = {
  Conversation: new RegExp(`^${SLUG}$`),
  ConversationPart: new RegExp(`^${SLUG}#(u-?)?[0-9]{1,16}$`),
  User: new RegExp(`^(${EMAIL}|sso:[^\\u0000-\\u001f]{1,255}|contact:[0-9]{1,20})$`),
  Admin: new RegExp(`^${EMAIL}$`),
  Channel: new RegExp(`^${SLUG}$`),
};

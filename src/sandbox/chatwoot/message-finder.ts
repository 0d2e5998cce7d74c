import { isPresent, param, rubyToI } from './params.js';
import { MESSAGE_TYPE, type CwMessage } from './records.js';

/**
 * `MessageFinder` (providers.md 2.4). `thread` is the conversation's messages in
 * `created_at` order. Ids go through `to_i`, so `before=abc` means `id < 0`.
 */
export function findMessages(thread: CwMessage[], query: URLSearchParams): CwMessage[] {
  // `where.not('private = ? OR message_type = ?', true, 2)` for any non-blank value.
  const messages = isPresent(param(query, 'filter_internal_messages'))
    ? thread.filter((m) => !m.private && m.messageType !== MESSAGE_TYPE.activity)
    : thread;
  const after = param(query, 'after');
  const before = param(query, 'before');
  if (isPresent(after) && isPresent(before)) {
    // Together, `after` is inclusive: `id >= after AND id < before`, ascending, 1000 at most.
    const from = rubyToI(after);
    const to = rubyToI(before);
    return messages.filter((m) => m.id >= from && m.id < to).slice(0, 1000);
  }
  if (isPresent(before)) {
    // The 20 newest older than `before`: `reorder(created_at desc).limit(20).reverse`.
    const to = rubyToI(before);
    return messages.filter((m) => m.id < to).slice(-20);
  }
  if (isPresent(after)) {
    // Alone, `after` is exclusive: the 100 oldest newer than it.
    const from = rubyToI(after);
    return messages.filter((m) => m.id > from).slice(0, 100);
  }
  return messages.slice(-20);
}

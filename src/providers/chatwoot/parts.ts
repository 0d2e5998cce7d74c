/** `after` alone answers at most this many messages with a greater id, oldest first (MessageFinder). */
export const MESSAGES_AFTER_LIMIT = 100;

/**
 * The messages to serve from one `after` answer, and whether more exist. When exactly
 * the limit came back, more may or may not follow; serving one less than the limit keeps
 * `hasNextPage` exact without a second call (a page may be shorter than `first`).
 */
export function servedMessages<T>(answer: readonly T[], first: number): { served: T[]; hasNextPage: boolean } {
  const wanted = Math.min(Math.max(Math.floor(first), 1), MESSAGES_AFTER_LIMIT);
  const known = answer.length >= MESSAGES_AFTER_LIMIT ? MESSAGES_AFTER_LIMIT - 1 : answer.length;
  const served = answer.slice(0, Math.min(wanted, known));
  return { served, hasNextPage: answer.length > served.length };
}

/**
 * Behaviour the research could not settle from a stored copy of Chatwoot, one knob per
 * open point, each playable by the simulator (docs/provider-assumptions.md, "Chatwoot").
 */
export interface ChatwootReadings {
  /**
   * Whether keys a caller sends in a message's `content_attributes` are stored and come
   * back on the message. The code read keeps them (`MessageBuilder` passes the whole
   * hash, the column is a JSON `store`, the message view writes it out); the research
   * marks it unverified on a live server, so `false` plays a server that drops them.
   * @default true
   */
  contentAttributesKept: boolean;
  /**
   * Attempts per webhook delivery. The code read rescues every error of the POST and
   * never retries (1); newer versions declare `retry_on … attempts: 5` (seen in derived
   * code, release unverified), which `5` plays: same delivery id, growing waits.
   * @default 1
   */
  webhookAttempts: number;
}

export const DEFAULT_READINGS: ChatwootReadings = { contentAttributesKept: true, webhookAttempts: 1 };

/** Where mapped nodes live and how their provider UI links are built. */
export interface MapContext {
  sourceId: string;
  /** The account's origin (`https://app.chatwoot.com`), without a trailing slash. */
  appUrl: string;
  accountId: number;
}

/**
 * Agents and agent bots are two id spaces in Chatwoot; bots get this prefix so that
 * admin native ids stay unique within a source.
 */
export const BOT_ID_PREFIX = 'bot:';

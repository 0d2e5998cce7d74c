import { z } from 'zod';
import { subscriptionLimitsSchema, webhookBytesSchema } from './live.js';

/** Query limits (design.md section 6); the defaults admit the reference queries many times over. */
export const limitsSchema = z
  .object({
    /** Levels of nested fields; fragments add none. @default 10 */
    depth: z.number().int().min(1).max(100).default(10),
    /** Aliased fields in one operation. @default 15 */
    aliases: z.number().int().min(0).max(1000).default(15),
    /** Directives in one operation. @default 20 */
    directives: z.number().int().min(0).max(1000).default(20),
    /**
     * Lexical tokens in one document. Also bounds nesting: graphql-js parses recursively,
     * and about 1,900 nested lists exhaust Node's stack, hence the maximum. @default 1000
     */
    tokens: z.number().int().min(100).max(2000).default(1000),
    /** Cost: one per field, times `first` under a connection. @default 5000 */
    cost: z.number().int().min(1).max(10_000_000).default(5000),
    /** Bytes of one request body. @default 65536 */
    bodyBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(65_536),
    /**
     * Time a request body has to arrive in full, else 408 `REQUEST_TIMEOUT`. Bodies are read
     * before a request waits for a GraphQL slot, so a slow one never holds a slot. @default 5000
     */
    bodyTimeoutMs: z.number().int().min(100).max(120_000).default(5000),
    /**
     * A client that takes none of its response for this long is disconnected (GraphQL results,
     * GraphiQL and its assets), so a reader that stops reading frees its GraphQL slot. @default 10000
     */
    responseStallMs: z.number().int().min(100).max(300_000).default(10_000),
    /**
     * Upstream calls (attempts, retries included) one request may make: checked on the
     * query's estimate before it runs, and counted while it runs. @default 40
     */
    upstreamCalls: z.number().int().min(1).max(10_000).default(40),
    /**
     * Calls one API key may have waiting for one source's concurrency slots; slots go
     * round-robin between keys, so one key cannot fill the queue. @default 256
     */
    upstreamQueuedPerKey: z.number().int().min(1).max(10_000).default(256),
    /** Characters of a reply's `body` (`replyToConversation`). @default 20000 */
    replyChars: z.number().int().min(1).max(1_000_000).default(20_000),
    /** Subscriptions open at once, per key and in all (src/config/live.ts). */
    subscriptions: subscriptionLimitsSchema,
    webhookBytes: webhookBytesSchema,
  })
  .prefault({});

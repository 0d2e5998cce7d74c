import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { checkInput } from './check.js';
import { PARSE_OPTIONS, plainMessage } from './issue-text.js';
import { parseJsonText } from './json-text.js';
import { schemaAt, withOpenKeys } from './schema-walk.js';
import { ErrorCode } from '../errors/codes.js';
import { resilienceSchema } from '../http/settings.js';
import { DEFAULT_UPSTREAM_MAX_BYTES } from '../http/transport.js';
import { LOG_LEVELS } from '../ops/log.js';
import { PROVIDERS, providerDeclarations } from '../providers/catalogue.js';
import { limitsSchema } from './limits.js';
import { writesSchema } from './writes.js';
import { liveSchema } from './live.js';
import { actAsSchema, apiKeysSchema, checkApiKeys, rateLimitSchema, sourceId } from './api-keys.js';

/**
 * Parley's configuration (design.md section 8): one JSON file named by PARLEY_CONFIG,
 * validated at boot. Secrets may be written as "${ENV_VAR}" and are read from the
 * environment; a missing variable is an error naming the field.
 */

const providerSettings = (source: Record<string, unknown>) =>
  typeof source.provider === 'string' && Object.hasOwn(providerDeclarations, source.provider)
    ? providerDeclarations[source.provider as keyof typeof providerDeclarations].configSchema
    : Object.values(providerDeclarations).map((declaration) => declaration.configSchema);

export type { RateLimit } from './api-keys.js';

/**
 * Upstream calls Parley makes to one source per window, counted across replicas when
 * `redis` is set (src/shared-state/upstream-quotas.ts); `false` for none.
 * @default the provider's documented limit where one is known, else none
 */
const quotaSchema = z.union([z.literal(false), rateLimitSchema]);

// The provider's own schema checks the other keys, so unknown ones are named against both halves.
const sourceBase = withOpenKeys(z.object({ id: sourceId, provider: z.enum(PROVIDERS), quota: quotaSchema.optional() }).loose(), providerSettings);

const sourceSchema = sourceBase.transform((source, ctx) => {
  const { id, provider, quota, ...rest } = source;
  const settingsSchema: z.ZodType = providerDeclarations[provider].configSchema;
  const parsed = settingsSchema.safeParse(rest, PARSE_OPTIONS);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // Unknown keys are named, with suggestions, by the walk over the whole config.
      if (issue.code === 'unrecognized_keys') continue;
      ctx.addIssue({ code: 'custom', path: issue.path, message: plainMessage(issue, schemaAt(settingsSchema, issue.path, rest)) });
    }
    return z.NEVER;
  }
  return { id, provider, ...(quota === undefined ? {} : { quota }), settings: parsed.data as unknown };
});

export const configSchema = z
  .object({
    /** @default 4000 */
    port: z.number().int().min(0).max(65535).default(4000),
    /** @default '127.0.0.1' */
    host: z.string().default('127.0.0.1'),
    cursorSecret: z.string().min(16, 'the cursor secret must be at least 16 characters'),
    /**
     * Who may call, which sources each key reads, and whether and as whom it writes
     * (src/config/api-keys.ts). Absent: every caller reads every source, which only a
     * loopback `host` allows.
     */
    apiKeys: apiKeysSchema.optional(),
    /**
     * Without `apiKeys` only: the identity the anonymous (loopback) caller's writes act as,
     * per source. @default none: the anonymous caller only reads
     */
    actAs: actAsSchema.optional(),
    /** Exactly-once writes (src/config/writes.ts, src/writes/). */
    writes: writesSchema,
    sources: z.array(sourceSchema).min(1, 'at least one source is needed'),
    /** Upstream pages one source may read for one `conversations` page. @default 5 */
    maxPagesPerSource: z.number().int().min(1).max(50).default(5),
    /**
     * Per-attempt upstream timeout; short enough that a hung attempt leaves time within
     * the deadline for a retry. @default 2500
     */
    upstreamTimeoutMs: z.number().int().min(100).max(60_000).default(2500),
    /**
     * Bytes of one upstream response body: past it (by Content-Length or while reading)
     * reading stops and the answer is `UPSTREAM_BAD_RESPONSE` for that source. @default 4194304
     */
    upstreamMaxBytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(DEFAULT_UPSTREAM_MAX_BYTES),
    /**
     * Each GraphQL request's deadline: no upstream work outlives it, and the response
     * goes out with what arrived and coded errors for the rest. @default 5000
     */
    deadlineMs: z.number().int().min(100).max(120_000).default(5000),
    /** Retries, circuit breaker and concurrency cap per source (src/http/settings.ts). */
    resilience: resilienceSchema.prefault({}),
    /**
     * GraphQL requests executing at once, and how many more may wait in line (src/ops/admission.ts).
     * Probes and metrics are never held back.
     */
    admission: z
      .object({
        /** The most that run at once. @default 64 */
        concurrent: z.number().int().min(1).max(10_000).default(64),
        /**
         * Run fewer while the event loop is saturated, down to `minConcurrent`, and more again
         * while it has idle time and requests wait (src/ops/adaptive-limit.ts). @default true
         */
        adaptive: z.boolean().default(true),
        /** @default 2 */
        minConcurrent: z.number().int().min(1).max(10_000).default(2),
        /** @default 1024 */
        queue: z.number().int().min(0).max(100_000).default(1024),
        /**
         * How many of those one caller (API key) may have waiting; callers also take turns
         * for slots, so one client's flood cannot hold the others back. @default 256
         */
        queuePerCaller: z.number().int().min(0).max(100_000).default(256),
        /** A request that waited this long for a slot is answered 503. @default 5000 */
        maxWaitMs: z.number().int().min(1).max(120_000).default(5000),
      })
      .prefault({}),
    /**
     * State shared by replicas (upstream quotas, per-key rate limits, directory copies), in
     * Redis (src/shared-state/). Also `PARLEY_REDIS_URL`. @default none: all in this process
     */
    redis: z
      .object({
        /** `redis://[:password@]host:port[/db]` or `rediss://` (TLS). */
        url: z.string().refine((url) => /^rediss?:\/\/./.test(url), 'a Redis URL starts with redis:// or rediss://'),
        /** Put before every key, so several deployments can share one Redis. @default 'parley:' */
        keyPrefix: z.string().max(64).default('parley:'),
        /** A Redis command not answered within this counts as Redis being away. @default 250 */
        commandTimeoutMs: z.number().int().min(10).max(10_000).default(250),
      })
      .optional(),
    /** Live events: sweep interval and the event log's length (src/config/live.ts). */
    live: liveSchema,
    /** TTL of cached channel/agent/staff lists. @default 60000 */
    listCacheTtlMs: z.number().int().min(0).default(60_000),
    /**
     * How far V8 lets the heap grow past its live size before the next full collection,
     * in percent (V8's `--heap-growing-percent`), set by the server at start; 0 leaves V8's
     * own choice (up to 4x the live size). Lower saves memory under a CPU-bound load and
     * costs CPU when bursts of requests wait on providers together, since more of each is
     * promoted then: measured (BENCHMARKS.md) at 20, 100 and V8's own, peak RSS at 100
     * clients 148-154 / 167-175 / 196-247 MB, CPU per request at 40 req/s arriving in
     * bursts of 20 with 50 ms upstream 9.5-9.8 / 7.0-7.1 / 6.3-6.7 ms. @default 100
     */
    heapGrowingPercent: z.number().int().min(0).max(1000).default(100),
    /**
     * Lowest level of the JSON log lines (stdout). `debug` adds a line per upstream attempt.
     * @default 'info' (`PARLEY_LOG_LEVEL` when set; 'silent' under vitest)
     */
    logLevel: z.enum(LOG_LEVELS).optional(),
    /**
     * Counts of requests, upstream calls, retries, breaker state, batches and cache reads, at
     * `GET /metrics` on a port of their own, never the main one (src/front/metrics-server.ts).
     * `false` or `enabled: false` turns them off; a `host` other than loopback needs a `token`.
     * @default { enabled: true, port: 9464, host: '127.0.0.1' }
     */
    metrics: z
      .union([
        z.boolean(),
        z
          .object({
            /** @default true */
            enabled: z.boolean().default(true),
            /** Port of the metrics server; 0 picks a free one. @default 9464 */
            port: z.number().int().min(0).max(65535).default(9464),
            /** @default '127.0.0.1' */
            host: z.string().default('127.0.0.1'),
            /** When set, a scrape must send `Authorization: Bearer <token>`. @default none */
            token: z.string().min(16, 'a metrics token is at least 16 characters').optional(),
          })
          .superRefine((metrics, ctx) => {
            if (metrics.enabled && !metrics.token && !isLoopback(metrics.host)) {
              ctx.addIssue({ code: 'custom', path: ['token'], message: `required when \`metrics.host\` is not a loopback address (got "${metrics.host}")` });
            }
          }),
      ])
      .default(true)
      .transform((metrics) => {
        if (metrics === false || (metrics !== true && !metrics.enabled)) return false as const;
        const { enabled: _enabled, ...server } = metrics === true ? { enabled: true, port: 9464, host: '127.0.0.1' } : metrics;
        return server as { port: number; host: string; token?: string };
      }),
    /**
     * Serve GraphiQL at /graphql to browsers (the page holds no data; its queries need a key).
     * @default true without `apiKeys`, false with them
     */
    graphiql: z.boolean().optional(),
    /**
     * Web origins whose pages may call Parley from a browser (src/front/cors.ts).
     * @default none: no cross-origin access at all
     */
    cors: z
      .object({
        /** Exact origins (`https://app.example.com`: scheme, host, port; no path), or `*` for any. */
        origins: z
          .array(z.string().refine((origin) => origin === '*' || (URL.canParse(origin) && new URL(origin).origin === origin), 'an origin is "scheme://host[:port]" with no path, or "*"'))
          .min(1),
        /** Let browsers send cookies and HTTP authentication cross-origin. @default false */
        credentials: z.boolean().default(false),
        /** How long a browser may reuse a preflight answer, in seconds. @default 600 */
        maxAgeSeconds: z.number().int().min(0).max(86_400).default(600),
      })
      .refine((cors) => !(cors.credentials && cors.origins.includes('*')), {
        path: ['origins'],
        message: '"*" cannot be combined with `credentials: true`: list the origins',
      })
      .optional(),
    /** Answer introspection queries (and field suggestions in errors). The sandbox turns it on. @default false */
    introspection: z.boolean().default(false),
    /** Query limits (design.md section 6); the defaults admit the reference queries many times over. */
    limits: limitsSchema,
  })
  .superRefine((config, ctx) => {
    const ids = new Set<string>();
    config.sources.forEach((source, index) => {
      if (ids.has(source.id)) ctx.addIssue({ code: 'custom', path: ['sources', index, 'id'], message: `duplicate source id "${source.id}"` });
      ids.add(source.id);
    });
    checkApiKeys(config, ctx);
    // Without keys anyone who reaches the port reads every source: only this machine may.
    if (!config.apiKeys && !isLoopback(config.host)) {
      ctx.addIssue({ code: 'custom', path: ['apiKeys'], message: `required when \`host\` is not a loopback address (got "${config.host}")` });
    }
  });

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export type Config = z.output<typeof configSchema>;
export type SourceConfig = Config['sources'][number];

export type ConfigErrorCode = typeof ErrorCode.CONFIG_INVALID | typeof ErrorCode.CONFIG_UNREADABLE | typeof ErrorCode.CONFIG_NOT_JSON;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly code: ConfigErrorCode = ErrorCode.CONFIG_INVALID,
    /** Each problem as `path: what is expected`. */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

export interface CheckedConfig {
  config: Config;
  /** Things that start but are probably not meant (`"$CQ_TOKEN"` without braces), each naming its path. */
  warnings: string[];
}

/**
 * Validates a parsed config object after substituting "${ENV}" references. Every problem
 * (unknown keys, missing variables, refused values) is reported in one ConfigError.
 */
export function checkConfig(input: unknown, env: NodeJS.ProcessEnv = process.env): CheckedConfig {
  const result = checkInput(configSchema, withRedisFromEnv(input, env), env);
  if (!result.ok) {
    const lines = (list: string[]) => list.map((line) => `  ${line}`).join('\n');
    const also = result.warnings.length > 0 ? `\nand, though not refused:\n${lines(result.warnings)}` : '';
    throw new ConfigError(`invalid Parley config:\n${lines(result.problems)}${also}`, ErrorCode.CONFIG_INVALID, result.problems);
  }
  return { config: result.data, warnings: result.warnings };
}

/** `PARLEY_REDIS_URL` stands for `redis.url` when the file has no `redis`. */
function withRedisFromEnv(input: unknown, env: NodeJS.ProcessEnv): unknown {
  const url = env.PARLEY_REDIS_URL;
  if (!url || typeof input !== 'object' || input === null || Array.isArray(input) || 'redis' in input) return input;
  return { ...input, redis: { url } };
}

/** `checkConfig` without the warnings. */
export function parseConfig(input: unknown, env: NodeJS.ProcessEnv = process.env): Config {
  return checkConfig(input, env).config;
}

export function readConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): CheckedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read PARLEY_CONFIG file ${path}: ${(error as Error).message}`, ErrorCode.CONFIG_UNREADABLE);
  }
  const json = parseJsonText(text);
  if (!json.ok) {
    throw new ConfigError(`PARLEY_CONFIG file ${path} is not valid JSON: line ${json.line}, column ${json.column}: ${json.problem}`, ErrorCode.CONFIG_NOT_JSON);
  }
  return checkConfig(json.value, env);
}

/** `readConfigFile` without the warnings. */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): Config {
  return readConfigFile(path, env).config;
}

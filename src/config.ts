import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { resilienceSchema } from './http/settings.js';
import { LOG_LEVELS } from './log.js';
import { PROVIDERS } from './model.js';
import { adapters } from './providers/registry.js';

/**
 * Parley's configuration (design.md section 8): one JSON file named by PARLEY_CONFIG,
 * validated at boot. Secrets may be written as "${ENV_VAR}" and are read from the
 * environment; a missing variable is an error naming the field.
 */

const sourceId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'a source id is 1-32 lowercase letters, digits, "-" or "_"');

const sourceBase = z.object({ id: sourceId, provider: z.enum(PROVIDERS) }).loose();

const sourceSchema = sourceBase.transform((source, ctx) => {
  const { id, provider, ...rest } = source;
  const parsed = adapters[provider].configSchema.safeParse(rest);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: issue.path } as never);
    return z.NEVER;
  }
  return { id, provider, settings: parsed.data as unknown };
});

export const configSchema = z
  .object({
    /** @default 4000 */
    port: z.number().int().min(0).max(65535).default(4000),
    /** @default '127.0.0.1' */
    host: z.string().default('127.0.0.1'),
    cursorSecret: z.string().min(16, 'the cursor secret must be at least 16 characters'),
    /**
     * Who may call, and which sources each key reads. Absent: every caller reads every
     * source, which only a loopback `host` allows.
     */
    apiKeys: z
      .array(z.object({ key: z.string().min(16, 'an API key is at least 16 characters'), sources: z.array(sourceId).min(1) }))
      .min(1, 'list at least one key, or leave `apiKeys` out')
      .optional(),
    sources: z.array(sourceSchema).min(1, 'at least one source is needed'),
    /** Upstream pages one source may read for one `conversations` page. @default 5 */
    maxPagesPerSource: z.number().int().min(1).max(50).default(5),
    /**
     * Per-attempt upstream timeout; short enough that a hung attempt leaves time within
     * the deadline for a retry. @default 2500
     */
    upstreamTimeoutMs: z.number().int().min(100).max(60_000).default(2500),
    /**
     * Each GraphQL request's deadline: no upstream work outlives it, and the response
     * goes out with what arrived and coded errors for the rest. @default 5000
     */
    deadlineMs: z.number().int().min(100).max(120_000).default(5000),
    /** Retries, circuit breaker and concurrency cap per source (src/http/settings.ts). */
    resilience: resilienceSchema.prefault({}),
    /**
     * GraphQL requests executing at once, and how many more may wait in line (src/admission.ts).
     * Probes and metrics are never held back.
     */
    admission: z
      .object({
        /** The most that run at once. @default 64 */
        concurrent: z.number().int().min(1).max(10_000).default(64),
        /**
         * Run fewer while the event loop is saturated, down to `minConcurrent`, and more again
         * while it has idle time and requests wait (src/adaptive-limit.ts). @default true
         */
        adaptive: z.boolean().default(true),
        /** @default 2 */
        minConcurrent: z.number().int().min(1).max(10_000).default(2),
        /** @default 1024 */
        queue: z.number().int().min(0).max(100_000).default(1024),
        /** A request that waited this long for a slot is answered 503. @default 5000 */
        maxWaitMs: z.number().int().min(1).max(120_000).default(5000),
      })
      .prefault({}),
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
    /** Count requests, upstream calls, retries, breaker state, batches and cache reads, served at `GET /metrics`. @default true */
    metrics: z.boolean().default(true),
    /** Serve GraphiQL at /graphql to browsers (the page holds no data; its queries need a key). @default true */
    graphiql: z.boolean().default(true),
    /** Answer introspection queries (and field suggestions in errors). The sandbox turns it on. @default false */
    introspection: z.boolean().default(false),
    /** Query limits (design.md section 6); the defaults admit the reference queries many times over. */
    limits: z
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
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    const ids = new Set<string>();
    config.sources.forEach((source, index) => {
      if (ids.has(source.id)) ctx.addIssue({ code: 'custom', path: ['sources', index, 'id'], message: `duplicate source id "${source.id}"` });
      ids.add(source.id);
    });
    const keys = new Set<string>();
    config.apiKeys?.forEach((apiKey, index) => {
      if (keys.has(apiKey.key)) ctx.addIssue({ code: 'custom', path: ['apiKeys', index, 'key'], message: 'the same key is listed twice' });
      keys.add(apiKey.key);
      apiKey.sources.forEach((id, j) => {
        if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: ['apiKeys', index, 'sources', j], message: `unknown source "${id}"` });
      });
    });
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

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates a parsed config object, after substituting "${ENV}" references. */
export function parseConfig(input: unknown, env: NodeJS.ProcessEnv = process.env): Config {
  const substituted = substituteEnv(input, env, []);
  const result = configSchema.safeParse(substituted);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`);
    throw new ConfigError(`invalid Parley config:\n${lines.join('\n')}`);
  }
  return result.data;
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read PARLEY_CONFIG file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`PARLEY_CONFIG file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(json, env);
}

const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path: Array<string | number>): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REFERENCE, (_match, name: string) => {
      const found = env[name];
      if (found === undefined) throw new ConfigError(`invalid Parley config:\n  ${formatPath(path)}: environment variable ${name} is not set`);
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => substituteEnv(item, env, [...path, index]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteEnv(item, env, [...path, key])]));
  }
  return value;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? '(root)' : path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

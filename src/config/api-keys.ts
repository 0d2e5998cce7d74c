import { z } from 'zod';
import { PARSE_OPTIONS, plainMessage } from './issue-text.js';
import { schemaAt } from './schema-walk.js';
import { declarationOf, type ProviderName } from '../providers/catalogue.js';
import { nounPhrase } from '../providers/declaration.js';

/**
 * Who may call (`apiKeys`), what each key reads and whether it writes, and which provider
 * identity its writes act as (`actAs`). The identities are checked here against each
 * provider's declared `writes.actAsSchema`, so a mistake fails at start, not on a first write.
 */

export const sourceId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'a source id is 1-32 lowercase letters, digits, "-" or "_"');

/** `requests` per `perSeconds`: a key's request rate limit and a source's upstream quota alike. */
export const rateLimitSchema = z.object({ requests: z.number().int().min(1).max(1_000_000), perSeconds: z.number().int().min(1).max(86_400) });
export type RateLimit = z.infer<typeof rateLimitSchema>;

/**
 * The provider identity writes act as, per source id: each value has the shape its
 * provider's `writes.actAsSchema` declares (a Carrot quest `adminId`, a Chatwoot `userId`, a
 * Re:amaze `staffEmail`). Checked against the sources after parsing.
 */
export const actAsSchema = z.record(sourceId, z.record(z.string(), z.unknown()));
export type ActAsConfig = z.output<typeof actAsSchema>;

export const apiKeysSchema = z
  .array(
    z.object({
      key: z.string().min(16, 'an API key is at least 16 characters'),
      sources: z.array(sourceId).min(1),
      /**
       * Requests this key may make per `perSeconds` (src/limits/rate-limit.ts); beyond it,
       * HTTP 429 `RATE_LIMITED` with `Retry-After`. @default no limit
       */
      rateLimit: rateLimitSchema.optional(),
      /** The key may run mutations (in the sources it has an `actAs` identity for). @default false */
      write: z.boolean().default(false),
      /** The identity this key's writes act as, per source it reads. @default none: no writes */
      actAs: actAsSchema.optional(),
    }),
  )
  .min(1, 'list at least one key, or leave `apiKeys` out');

export type ApiKeysConfig = z.output<typeof apiKeysSchema>;

interface Ctx {
  addIssue(issue: { code: 'custom'; path: PropertyKey[]; message: string }): void;
}

interface KeyedConfig {
  apiKeys?: ApiKeysConfig | undefined;
  actAs?: ActAsConfig | undefined;
  sources: ReadonlyArray<{ id: string; provider: ProviderName }>;
}

/** Duplicate keys, unknown sources, and every `actAs` identity checked against its source's provider. */
export function checkApiKeys(config: KeyedConfig, ctx: Ctx): void {
  const providers = new Map(config.sources.map((source) => [source.id, source.provider]));
  const keys = new Set<string>();
  config.apiKeys?.forEach((apiKey, index) => {
    if (keys.has(apiKey.key)) ctx.addIssue({ code: 'custom', path: ['apiKeys', index, 'key'], message: 'the same key is listed twice' });
    keys.add(apiKey.key);
    apiKey.sources.forEach((id, j) => {
      if (!providers.has(id)) ctx.addIssue({ code: 'custom', path: ['apiKeys', index, 'sources', j], message: `unknown source "${id}"` });
    });
    const readable = new Set(apiKey.sources);
    checkActAs(apiKey.actAs, ['apiKeys', index, 'actAs'], providers, ctx, (id) =>
      readable.has(id) ? null : `this key does not read source "${id}": add it to \`sources\` or remove this identity`,
    );
  });
  if (config.actAs && config.apiKeys) {
    ctx.addIssue({ code: 'custom', path: ['actAs'], message: 'applies only without `apiKeys`: give each key its own `actAs`' });
  }
  checkActAs(config.actAs, ['actAs'], providers, ctx, () => null);
}

function checkActAs(
  actAs: ActAsConfig | undefined,
  path: PropertyKey[],
  providers: ReadonlyMap<string, ProviderName>,
  ctx: Ctx,
  scoped: (sourceId: string) => string | null,
): void {
  for (const [id, identity] of Object.entries(actAs ?? {})) {
    const at = [...path, id];
    const provider = providers.get(id);
    if (!provider) {
      ctx.addIssue({ code: 'custom', path: at, message: `unknown source "${id}"` });
      continue;
    }
    const outOfScope = scoped(id);
    if (outOfScope) ctx.addIssue({ code: 'custom', path: at, message: outOfScope });
    const declaration = declarationOf(provider);
    const writes = declaration.writes;
    if (!writes) {
      ctx.addIssue({ code: 'custom', path: at, message: `source "${id}" is ${nounPhrase(declaration, declaration.nouns.source)}, which Parley cannot write to` });
      continue;
    }
    const parsed = writes.actAsSchema.safeParse(identity, PARSE_OPTIONS);
    for (const issue of parsed.error?.issues ?? []) {
      const keysOf = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
      for (const issuePath of keysOf) {
        const message = issue.code === 'unrecognized_keys' ? 'unknown field' : plainMessage(issue, schemaAt(writes.actAsSchema, issuePath, identity));
        ctx.addIssue({ code: 'custom', path: [...at, ...issuePath], message });
      }
    }
  }
}

/** Each source's identity parsed by its provider's schema (the config was checked, so parsing succeeds). */
export function parseActAs(actAs: ActAsConfig | undefined, sources: ReadonlyArray<{ id: string; provider: ProviderName }>): Map<string, unknown> {
  const providers = new Map(sources.map((source) => [source.id, source.provider]));
  const parsed = new Map<string, unknown>();
  for (const [id, identity] of Object.entries(actAs ?? {})) {
    const provider = providers.get(id);
    const writes = provider ? declarationOf(provider).writes : undefined;
    if (writes) parsed.set(id, writes.actAsSchema.parse(identity));
  }
  return parsed;
}

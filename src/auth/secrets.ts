import { inspect } from 'node:util';
import { createLogger, type LogLevel, type YogaLogger } from 'graphql-yoga';
import { secretFields } from '../providers/declaration.js';
import { declarationOf, type ProviderName } from '../providers/catalogue.js';

/**
 * Secrets never leave Parley (design.md section 6): not in a log line, an error, a
 * response or a provider's `raw` payload. The redactor knows every configured secret
 * (provider tokens, API keys, the cursor secret, the metrics token) and the encoded forms
 * Parley itself sends upstream (HTTP Basic credentials), and replaces them wherever text
 * could carry them.
 */

export const REDACTED = '[REDACTED]';

export interface Redactor {
  /** The text with every configured secret replaced by `[REDACTED]`. */
  text(value: string): string;
  /** Whether the text holds a configured secret. */
  leaks(value: string): boolean;
  /** A provider payload without credential-looking keys and with secrets in values replaced. */
  raw(value: unknown): unknown;
}

/** Keys under which providers echo credentials (`access_token`, `pubsub_token`, `api_key`, ...). */
const CREDENTIAL_KEY = /token|secret|passw(or)?d|authori[sz]ation|api[_-]?key|credential|cookie/i;
/** Shorter values are not treated as secrets: replacing them would garble ordinary text. */
const MIN_SECRET_LENGTH = 8;

/** The parts of Parley's config that hold secrets (a structural view, so config.ts need not be imported). */
export interface SecretBearingConfig {
  cursorSecret: string;
  apiKeys?: ReadonlyArray<{ key: string; actAs?: ActAsSecrets | undefined }> | undefined;
  /** The keyless caller's write identities. */
  actAs?: ActAsSecrets | undefined;
  metrics: false | { token?: string | undefined };
  redis?: { url: string } | undefined;
  sources: ReadonlyArray<{ id: string; provider: ProviderName; settings: unknown }>;
}

/** Write identities per source id (`apiKeys[].actAs`, `actAs`): their provider marks which fields are secrets. */
type ActAsSecrets = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

const cache = new WeakMap<SecretBearingConfig, Redactor>();

/** The redactor of a config, built once per config. */
export function redactorFor(config: SecretBearingConfig): Redactor {
  let redactor = cache.get(config);
  if (!redactor) {
    redactor = createRedactor(secretsOf(config));
    cache.set(config, redactor);
  }
  return redactor;
}

export function secretsOf(config: SecretBearingConfig): string[] {
  const secrets = [config.cursorSecret, ...(config.apiKeys ?? []).map((k) => k.key)];
  // Whoever holds the metrics token reads every source id, error code and client operation name.
  if (config.metrics && config.metrics.token !== undefined) secrets.push(config.metrics.token);
  // A Redis URL may carry a password (`redis://:password@host:6379`).
  const redisPassword = config.redis && URL.canParse(config.redis.url) ? new URL(config.redis.url).password : '';
  if (redisPassword) secrets.push(redisPassword, decodeURIComponent(redisPassword));
  // A source's secrets are the fields its provider's config schema marks, and the forms they travel in.
  for (const source of config.sources) {
    const declaration = declarationOf(source.provider);
    const settings = source.settings as Record<string, unknown>;
    for (const name of secretFields(declaration.configSchema)) {
      const value = settings[name];
      if (typeof value === 'string') secrets.push(value);
    }
    secrets.push(...(declaration.encodedSecrets?.(settings) ?? []));
  }
  const providers = new Map(config.sources.map((source) => [source.id, source.provider]));
  for (const actAs of [config.actAs, ...(config.apiKeys ?? []).map((apiKey) => apiKey.actAs)]) secrets.push(...actAsSecrets(actAs, providers));
  return secrets;
}

/** The values of the fields each source's provider marks `secret()` in its `writes.actAsSchema`, and their encoded forms. */
function actAsSecrets(actAs: ActAsSecrets | undefined, providers: ReadonlyMap<string, ProviderName>): string[] {
  return Object.entries(actAs ?? {}).flatMap(([sourceId, identity]) => {
    const provider = providers.get(sourceId);
    const writes = provider ? declarationOf(provider).writes : undefined;
    if (!writes) return [];
    const plain = secretFields(writes.actAsSchema).flatMap((name) => (typeof identity[name] === 'string' ? [identity[name]] : []));
    return [...plain, ...(writes.encodedSecrets?.(identity) ?? [])];
  });
}

export function createRedactor(secrets: Iterable<string>): Redactor {
  // Longest first, so a secret that contains another is replaced whole.
  const list = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  const leaks = (value: string) => list.some((secret) => value.includes(secret));
  const text = (value: string) => (leaks(value) ? list.reduce((out, secret) => out.split(secret).join(REDACTED), value) : value);

  const raw = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(raw);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).filter(([key]) => !CREDENTIAL_KEY.test(key)).map(([key, item]) => [key, raw(item)]));
    }
    return value;
  };

  return { text, leaks, raw };
}

/**
 * Yoga's logger with every argument rendered to text and redacted first: masked errors
 * are logged with their original error, whose message or stack could quote a request.
 */
export function createRedactingLogger(redactor: Redactor, level: LogLevel | 'silent' = 'info', inner: YogaLogger = createLogger(level)): YogaLogger {
  const render = (arg: unknown) => redactor.text(typeof arg === 'string' ? arg : arg instanceof Error ? (arg.stack ?? arg.message) : inspect(arg, { depth: 4 }));
  return {
    debug: (...args) => inner.debug(...args.map(render)),
    info: (...args) => inner.info(...args.map(render)),
    warn: (...args) => inner.warn(...args.map(render)),
    error: (...args) => inner.error(...args.map(render)),
  };
}

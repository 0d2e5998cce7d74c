import { inspect } from 'node:util';
import type { YogaLogger } from 'graphql-yoga';
import { pino, type DestinationStream, type Logger } from 'pino';
import { createRedactor } from '../auth/secrets.js';

/**
 * Parley's logs: pino JSON lines (`level` as a word, ISO `time`, `msg`, flat fields).
 * Callers pass facts (source id, endpoint label, status, error code, request id), never
 * headers, URLs with query strings or upstream bodies. Two nets catch what slips through
 * anyway: fields named like a credential are censored wherever they sit (up to two levels
 * deep), and every configured secret is replaced in the finished line, whatever field or
 * message carried it.
 */

export type { Logger } from 'pino';
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Keys whose value is a credential in some provider's or client's vocabulary. */
const CREDENTIAL_KEYS = [
  'authorization',
  'api_access_token',
  'access_token',
  'token',
  'password',
  'secret',
  'cursorSecret',
  'apiKey',
  'api_key',
  'cookie',
  'set-cookie',
  'credentials',
];
const CREDENTIAL_KEY_SET = new Set(CREDENTIAL_KEYS.map((key) => key.toLowerCase()));
const CENSORED = '[REDACTED]';
/** Levels of nested objects searched for credential-named fields: the fields, their values, and theirs. */
const CENSOR_DEPTH = 3;

/**
 * The fields of one log call, with every credential-named field (at the first three
 * levels) censored. Copies only the objects that held one: the usual line (a few
 * flat facts) is returned as it came. pino's own path redaction did the same through 36
 * wildcard paths at about 20 us a line, a tenth of a thread page's time.
 */
export function censorCredentials(fields: Record<string, unknown>, depth = CENSOR_DEPTH): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in fields) {
    const value = fields[key];
    let replaced: unknown = value;
    if (CREDENTIAL_KEY_SET.has(key.toLowerCase())) replaced = CENSORED;
    else if (depth > 1 && typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Error)) {
      replaced = censorCredentials(value as Record<string, unknown>, depth - 1);
    }
    if (replaced !== value) {
      copy ??= { ...fields };
      copy[key] = replaced;
    }
  }
  return copy ?? fields;
}

/** `PARLEY_LOG_LEVEL`, else `info`; test runs stay quiet unless a test sets a level and captures the log. */
export function defaultLogLevel(): LogLevel {
  const configured = process.env.PARLEY_LOG_LEVEL as LogLevel | undefined;
  if (configured && LOG_LEVELS.includes(configured)) return configured;
  return process.env.VITEST ? 'silent' : 'info';
}

export interface LoggerOptions {
  /** @default defaultLogLevel() */
  level?: LogLevel;
  /** Every configured secret (`secretsOf(config)`): replaced in each finished line. @default none */
  secrets?: Iterable<string>;
  /** Where lines go; tests pass a stream that keeps them. @default stdout */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = [...(options.secrets ?? [])];
  // A secret holding `"` or `\` appears escaped inside a JSON line: look for both spellings.
  const lines = createRedactor(secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]));
  return pino(
    {
      level: options.level ?? defaultLogLevel(),
      base: { service: 'parley' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: (fields) => censorCredentials(fields) },
      ...(secrets.length > 0 ? { hooks: { streamWrite: (line: string) => lines.text(line) } } : {}),
    },
    options.destination ?? stdout(),
  );
}

let stdoutStream: DestinationStream | undefined;
/** One synchronous stdout stream shared by every logger: a line is never cut by another. */
function stdout(): DestinationStream {
  stdoutStream ??= pino.destination({ dest: 1, sync: true });
  return stdoutStream;
}

/**
 * Yoga's logger over pino. Yoga logs masked errors with the original error, whose
 * message or stack may quote a request: each argument becomes text, and the secrets
 * hook of the logger redacts the line.
 */
export function yogaLogger(logger: Logger): YogaLogger {
  const render = (arg: unknown) => (typeof arg === 'string' ? arg : arg instanceof Error ? (arg.stack ?? arg.message) : inspect(arg, { depth: 4 }));
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      if (logger.isLevelEnabled(level)) logger[level]({ component: 'yoga' }, args.map(render).join(' '));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

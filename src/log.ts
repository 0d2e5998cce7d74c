import { inspect } from 'node:util';
import type { YogaLogger } from 'graphql-yoga';
import { pino, type DestinationStream, type Logger } from 'pino';
import { createRedactor } from './auth/secrets.js';

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
export const REDACTED_PATHS = CREDENTIAL_KEYS.flatMap((key) => {
  const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const nested = name.startsWith('[') ? name : `.${name}`;
  return [name, `*${nested}`, `*.*${nested}`];
});

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
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
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

/** The logger of code that runs without a gateway (adapter unit tests, scripts). */
export const log: Logger = createLogger();

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

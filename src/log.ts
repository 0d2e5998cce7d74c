/**
 * Parley's one logger: JSON lines with a level, a message and flat fields. It is small
 * on purpose, so that adopting pino later replaces this file and nothing else.
 *
 * Callers pass facts (source id, endpoint label, status, error code), never headers,
 * URLs with query strings or upstream bodies; as a last line of defence, fields whose
 * name suggests a secret are redacted.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, string | number | boolean | null | undefined>;
/** Receives one finished line (no trailing newline). */
export type LogSink = (line: string) => void;

const SECRET_FIELD = /token|secret|password|authorization|api[_-]?key|cookie/i;

const rank = (level: LogLevel) => LOG_LEVELS.indexOf(level);

function defaultLevel(): LogLevel {
  const configured = process.env.PARLEY_LOG_LEVEL as LogLevel | undefined;
  if (configured && LOG_LEVELS.includes(configured)) return configured;
  // Test runs stay quiet unless a test captures the log.
  return process.env.VITEST ? 'silent' : 'info';
}

let threshold: LogLevel = defaultLevel();
let sink: LogSink = (line) => process.stderr.write(`${line}\n`);

function write(level: Exclude<LogLevel, 'silent'>, msg: string, fields: LogFields = {}): void {
  if (rank(level) < rank(threshold)) return;
  const record: Record<string, unknown> = { level, time: new Date().toISOString(), msg };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) record[key] = SECRET_FIELD.test(key) ? '[redacted]' : value;
  }
  sink(JSON.stringify(record));
}

export const log = {
  debug: (msg: string, fields?: LogFields) => write('debug', msg, fields),
  info: (msg: string, fields?: LogFields) => write('info', msg, fields),
  warn: (msg: string, fields?: LogFields) => write('warn', msg, fields),
  error: (msg: string, fields?: LogFields) => write('error', msg, fields),
};

/** Sends every line at `level` or above to `next` until the returned function restores the previous sink. */
export function redirectLog(next: LogSink, level: LogLevel = 'debug'): () => void {
  const previous = { sink, threshold };
  sink = next;
  threshold = level;
  return () => {
    sink = previous.sink;
    threshold = previous.threshold;
  };
}

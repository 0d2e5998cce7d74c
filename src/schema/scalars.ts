import { Kind } from 'graphql';
import { builder } from './builder.js';
import { badUserInput } from '../errors/graphql-errors.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseDateTime(value: unknown): number {
  if (typeof value !== 'string' || value.length > 40 || !ISO_DATE.test(value)) {
    throw badUserInput(`DateTime must be an ISO 8601 date or date-time string, e.g. "2026-01-19T10:00:00Z"; got ${JSON.stringify(value)?.slice(0, 60)}`);
  }
  // A date-time without an offset is read as UTC, never as the server's local time.
  const normalised = /T/.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? `${value}Z` : value;
  const millis = Date.parse(normalised);
  if (Number.isNaN(millis)) throw badUserInput(`DateTime ${JSON.stringify(value)} is not a real instant`);
  return millis;
}

export const DateTime = builder.scalarType('DateTime', {
  description: 'An instant, as an ISO 8601 string in UTC (`2026-01-19T10:00:00.000Z`).',
  serialize: (millis) => new Date(millis).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

export const JSONScalar = builder.scalarType('JSON', {
  description: "A provider's own payload, as it sent it (credentials never included).",
  serialize: (value) => value,
  parseValue: (value) => value,
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SourceError, UpstreamNotFound } from '../../src/http/errors.js';
import { isErrorEnvelope } from '../../src/http/payload.js';
import { parseRetryAfter } from '../../src/http/upstream-client.js';
import { clientOver, list, scriptedTransport, type Step } from './scripted-transport.js';

/**
 * What the HTTP layer lets through to an adapter: only a 2xx JSON body that matches the
 * schema of what the adapter reads. Everything else is a coded error that never quotes
 * the provider's body.
 */

const SECRET = 'tok-9f8e7d6c5b4a';
const listSchema = z.object({ data: z.array(z.object({ id: z.string(), subject: z.string() })) });

async function outcome(step: Step & object): Promise<{ value?: z.output<typeof listSchema>; error?: SourceError }> {
  const fake = scriptedTransport(() => step);
  return clientOver(fake.transport).getJson(list, listSchema).then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error as SourceError }),
  );
}

/** A raw answer with exactly these headers. */
const raw = (status: number, body: string, headers: Record<string, string>) => ({ status, body, headers: { 'content-type': '', ...headers } });

describe('payload validation', () => {
  it('passes a matching JSON body through, typed', async () => {
    expect(await outcome({ status: 200, body: { data: [{ id: '1', subject: 'Hi' }] } })).toEqual({ value: { data: [{ id: '1', subject: 'Hi' }] } });
  });

  it.each([
    ['a body cut off mid-object', raw(200, '{"data": [{"id": 1, "created": ', { 'content-type': 'application/json' }), /not JSON/],
    ['an HTML page with 200', raw(200, `<html>login as ${SECRET}</html>`, { 'content-type': 'text/html; charset=utf-8' }), /content type "text\/html", not JSON/],
    ['plain text with 200', raw(200, `token ${SECRET}`, { 'content-type': 'text/plain' }), /content type "text\/plain"/],
    ['an error envelope with 200', raw(200, JSON.stringify({ error: `bad token ${SECRET}` }), { 'content-type': 'application/json' }), /error envelope/],
    ['a list of errors with 200', raw(200, JSON.stringify({ errors: [`no ${SECRET}`] }), { 'content-type': 'application/json' }), /error envelope/],
    [
      "Carrot quest's meta error with 200",
      raw(200, JSON.stringify({ meta: { status: 401, error: 'AuthenticationFailed', error_message: SECRET }, data: {} }), { 'content-type': 'application/json' }),
      /error envelope/,
    ],
    ['a payload of the wrong shape', raw(200, JSON.stringify({ data: [{ id: 7, subject: SECRET }] }), { 'content-type': 'application/json' }), /unexpected payload at data\.0\.id/],
  ])('rejects %s as UPSTREAM_BAD_RESPONSE without quoting it', async (_name, step, message) => {
    const { error } = await outcome(step);
    expect(error).toBeInstanceOf(SourceError);
    expect(error?.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error?.details.failure).toBe('payload');
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain(SECRET);
  });

  it('reads a JSON body sent without a content type, and a +json vendor type', async () => {
    const body = JSON.stringify({ data: [] });
    expect(await outcome(raw(200, body, {}))).toEqual({ value: { data: [] } });
    expect(await outcome(raw(200, body, { 'content-type': 'application/vnd.api+json' }))).toEqual({ value: { data: [] } });
  });

  it('does not mistake empty error fields for an error envelope', () => {
    expect(isErrorEnvelope({ errors: [], data: [] })).toBe(false);
    expect(isErrorEnvelope({ error: null, data: [] })).toBe(false);
    expect(isErrorEnvelope({ meta: { status: 200, error: null }, data: [] })).toBe(false);
    expect(isErrorEnvelope([{ error: 'a row field' }])).toBe(false);
  });
});

describe('provider statuses', () => {
  it.each([
    [401, 'SOURCE_AUTH_FAILED', false],
    [403, 'SOURCE_AUTH_FAILED', false],
    [400, 'UPSTREAM_BAD_RESPONSE', false],
    [422, 'UPSTREAM_BAD_RESPONSE', false],
    [429, 'SOURCE_RATE_LIMITED', true],
    [500, 'SOURCE_UNAVAILABLE', true],
    [502, 'SOURCE_UNAVAILABLE', true],
    [503, 'SOURCE_UNAVAILABLE', true],
    [504, 'SOURCE_UNAVAILABLE', true],
  ])('maps HTTP %i to %s (retryable: %s), never quoting the body', async (status, code, retryable) => {
    const { error } = await outcome({ status, body: { error: `Invalid token ${SECRET}`, meta: { error_message: SECRET } } });
    expect([error?.code, error?.retryable, error?.details.status]).toEqual([code, retryable, status]);
    expect(error?.message).not.toContain(SECRET);
  });

  it('answers 404 with UpstreamNotFound, which adapters read as "no such object"', async () => {
    const { error } = await outcome({ status: 404, body: { error: 'Not Found' } });
    expect(error).toBeInstanceOf(UpstreamNotFound);
  });

  it('carries a 429\'s Retry-After as retryAfter seconds', async () => {
    const { error } = await outcome({ status: 429, body: {}, headers: { 'retry-after': '120' } });
    expect(error?.details.retryAfter).toBe(120);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-02T10:00:00Z');

  it.each<[string | string[] | undefined, number | undefined]>([
    ['7', 7],
    [' 0 ', 0],
    ['Mon, 02 Mar 2026 10:00:30 GMT', 30],
    // Dates are whole seconds: 10:00:01.2 is sent as 10:00:01.
    [new Date(now + 1200).toUTCString(), 1],
    ['Mon, 02 Mar 2026 09:59:00 GMT', 0],
    [['5', '9'], 5],
    ['soon', undefined],
    ['-3', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads %j as %s', (header, seconds) => {
    expect(parseRetryAfter(header, now)).toBe(seconds);
  });

  it('rounds a date part of a second away up to one second', () => {
    expect(parseRetryAfter('Mon, 02 Mar 2026 10:00:01 GMT', now + 200)).toBe(1);
  });
});

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ResumeHint } from '../providers/adapter.js';
import type { OrderKey } from './order.js';

/**
 * The merged connection's cursor (design.md section 4, guarantee 4): opaque, compact,
 * versioned, bound to the filter it was made for and signed with the configured secret.
 *
 * Wire form: base64url(JSON payload) + "." + base64url(HMAC-SHA256 truncated to 16 bytes).
 * The payload holds the last edge's order key and, per source, where to resume it.
 */

export const CURSOR_VERSION = 1;

/** Per source: a resume hint, `null` for "from the newest", or `false` for "no rows left". */
export type SourceResume = ResumeHint | null | false;

export interface CursorState {
  /** The last edge the client has seen; null when nothing was emitted yet. */
  after: OrderKey | null;
  sources: Record<string, SourceResume>;
}

interface Payload {
  v: number;
  /** Filter fingerprint. */
  f: string;
  /** [micros, sourceId, nativeId] of the last edge. */
  k: [number, string, string] | null;
  s: Record<string, SourceResume>;
}

export type CursorProblem = 'malformed' | 'signature' | 'version' | 'filter';

export class CursorError extends Error {
  override readonly name = 'CursorError';
  constructor(
    readonly problem: CursorProblem,
    message: string,
  ) {
    super(message);
  }
}

const SIGNATURE_BYTES = 16;
const MAX_CURSOR_LENGTH = 2048;

export interface CursorCodec {
  encode(state: CursorState, filterFingerprint: string): string;
  decode(cursor: string, filterFingerprint: string): CursorState;
}

export function createCursorCodec(secret: string): CursorCodec {
  if (secret.length < 16) throw new Error('the cursor secret must be at least 16 characters');
  const sign = (body: string) => createHmac('sha256', secret).update(body).digest().subarray(0, SIGNATURE_BYTES);

  return {
    encode(state, filterFingerprint) {
      const payload: Payload = {
        v: CURSOR_VERSION,
        f: filterFingerprint,
        k: state.after ? [state.after.micros, state.after.sourceId, state.after.nativeId] : null,
        s: state.sources,
      };
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${sign(body).toString('base64url')}`;
    },

    decode(cursor, filterFingerprint) {
      if (cursor.length > MAX_CURSOR_LENGTH) throw new CursorError('malformed', 'the cursor is too long to be one of ours');
      const [body, signature, extra] = cursor.split('.');
      if (!body || !signature || extra !== undefined) throw new CursorError('malformed', 'the cursor is not in the expected form');
      // Compare the text, not the decoded bytes: base64 decoding ignores stray characters and
      // the last character's spare bits, so several spellings decode to the same signature.
      const given = Buffer.from(signature);
      const expected = Buffer.from(sign(body).toString('base64url'));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new CursorError('signature', 'the cursor was altered or was issued by another server');
      }
      const payload = parsePayload(body);
      if (payload.v !== CURSOR_VERSION) throw new CursorError('version', `cursor version ${payload.v} is no longer supported`);
      if (payload.f !== filterFingerprint) {
        throw new CursorError('filter', 'the cursor was issued for a different filter; start again without `after`');
      }
      return {
        after: payload.k ? { micros: payload.k[0], sourceId: payload.k[1], nativeId: payload.k[2] } : null,
        sources: payload.s,
      };
    },
  };
}

function parsePayload(body: string): Payload {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError('malformed', 'the cursor is not in the expected form');
  }
  if (!isPayload(value)) throw new CursorError('malformed', 'the cursor is not in the expected form');
  return value;
}

function isPayload(value: unknown): value is Payload {
  if (typeof value !== 'object' || value === null) return false;
  const { v, f, k, s } = value as Record<string, unknown>;
  const keyOk =
    k === null ||
    (Array.isArray(k) && k.length === 3 && Number.isFinite(k[0]) && typeof k[1] === 'string' && typeof k[2] === 'string');
  return typeof v === 'number' && typeof f === 'string' && keyOk && typeof s === 'object' && s !== null && !Array.isArray(s);
}

/**
 * A short fingerprint of a filter, so a cursor only resumes the query it came from.
 * Keys are sorted so that the same filter written in another order gives the same print.
 */
export function fingerprintFilter(filter: unknown): string {
  return createHash('sha256').update(canonicalJson(filter)).digest().subarray(0, 9).toString('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

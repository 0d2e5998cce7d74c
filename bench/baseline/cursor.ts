import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Hint } from './merge.js';
import type { OrderKey } from './shape.js';

/** The baseline's cursor: the last key and each source's resume point, signed as Parley signs its own. */
export interface CursorState {
  after: OrderKey | null;
  sources: Record<string, Hint | null | false>;
}

export function createCursors(secret: string) {
  const sign = (body: string) => createHmac('sha256', secret).update(body).digest().subarray(0, 16);
  return {
    encode(state: CursorState): string {
      const k = state.after ? [state.after.micros, state.after.sourceId, state.after.nativeId] : null;
      const body = Buffer.from(JSON.stringify({ k, s: state.sources })).toString('base64url');
      return `${body}.${sign(body).toString('base64url')}`;
    },
    /** Throws on a cursor this server did not sign. */
    decode(cursor: string): CursorState {
      const [body = '', signature = ''] = cursor.split('.');
      const given = Buffer.from(signature, 'base64url');
      const expected = sign(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('bad cursor');
      const { k, s } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      return { after: k ? { micros: k[0], sourceId: k[1], nativeId: k[2] } : null, sources: s };
    },
  };
}

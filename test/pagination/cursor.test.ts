import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCursorCodec, CursorError, fingerprintFilter, type CursorState } from '../../src/pagination/cursor.js';

const codec = createCursorCodec('test-secret-of-sixteen+');
const print = fingerprintFilter({ closed: false });

const state: CursorState = {
  after: { micros: 1_684_739_969_358_085, sourceId: 'cq', nativeId: '1160406004324630614' },
  sources: { cq: [1684739969.358085, '1160406004324630614'], cw: [3, 1_737_280_000_000_000, '42'], rz: false },
};

function problemOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CursorError) return error.problem;
    throw error;
  }
  return 'none';
}

describe('cursor codec', () => {
  it('round-trips any state, keeping 64-bit ids exact', () => {
    fc.assert(
      fc.property(
        fc.record({
          micros: fc.integer({ min: 0, max: 2 ** 52 }),
          sourceId: fc.stringMatching(/^[a-z0-9]{1,8}$/),
          nativeId: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String), fc.string()),
        }),
        (after) => {
          const decoded = codec.decode(codec.encode({ after, sources: { x: null } }, print), print);
          expect(decoded).toEqual({ after, sources: { x: null } });
        },
      ),
    );
  });

  it('stays compact enough for a mobile app to store', () => {
    expect(codec.encode(state, print).length).toBeLessThan(300);
  });

  it('rejects a cursor with any character changed', () => {
    const cursor = codec.encode(state, print);
    fc.assert(
      fc.property(fc.nat({ max: cursor.length - 1 }), fc.constantFrom('A', 'b', '0', '_', '-'), (index, char) => {
        fc.pre(cursor[index] !== char);
        const tampered = cursor.slice(0, index) + char + cursor.slice(index + 1);
        expect(['signature', 'malformed']).toContain(problemOf(() => codec.decode(tampered, print)));
      }),
    );
  });

  it('rejects a cursor signed with another secret as foreign', () => {
    const foreign = createCursorCodec('another-secret-of-16+').encode(state, print);
    expect(problemOf(() => codec.decode(foreign, print))).toBe('signature');
  });

  it('rejects a cursor used with another filter', () => {
    const cursor = codec.encode(state, print);
    expect(problemOf(() => codec.decode(cursor, fingerprintFilter({ closed: true })))).toBe('filter');
  });

  it('binds to the filter regardless of key order', () => {
    expect(fingerprintFilter({ a: 1, b: [1, 2] })).toBe(fingerprintFilter({ b: [1, 2], a: 1 }));
    expect(fingerprintFilter({ a: 1 })).not.toBe(fingerprintFilter({ a: 2 }));
  });

  it('rejects garbage as malformed, never throwing anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), (text) => {
        expect(['malformed', 'signature']).toContain(problemOf(() => codec.decode(text, print)));
      }),
    );
  });
});

describe('cursor signature', () => {
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  /** Other spellings of the same signature bytes: the last character's spare bits, padding, a stray character. */
  function respellings(cursor: string): string[] {
    const [body, signature] = cursor.split('.') as [string, string];
    const last = ALPHABET.indexOf(signature.at(-1)!);
    const spareBitsFlipped = signature.slice(0, -1) + ALPHABET[last ^ 1];
    return [spareBitsFlipped, `${signature}==`, `${signature.slice(0, 5)}!${signature.slice(5)}`].map((s) => `${body}.${s}`);
  }

  it('accepts only the exact text it issued, not another spelling of the same signature', () => {
    const cursor = codec.encode(state, print);
    expect(codec.decode(cursor, print)).toEqual(state);
    for (const respelled of respellings(cursor)) {
      expect(respelled).not.toBe(cursor);
      // Each spelling decodes to the very bytes that were signed.
      const bytes = (c: string) => Buffer.from(c.split('.')[1]!, 'base64url').toString('hex');
      expect(bytes(respelled)).toBe(bytes(cursor));
      expect(problemOf(() => codec.decode(respelled, print))).toBe('signature');
    }
  });
});

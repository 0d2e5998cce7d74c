import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChange, CLOSING_SOURCE_IDS, type Change } from './changes/index.js';
import { ALL_SOURCE_IDS, startHarness, walkAll, type Harness } from './harness.js';
import { expectedEdges, oracleWorld } from './oracle/index.js';

/**
 * Guarantee 2 of design.md section 4: a conversation that does not change while a client
 * pages through appears exactly once, even when others are created, answered or moved
 * out of the filtered set between page requests (Chatwoot and Re:amaze paginate by page
 * number, so their pages shift), and when many share one timestamp.
 */

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), source: fc.constantFrom(...ALL_SOURCE_IDS) }),
  fc.record({ kind: fc.constant('reply' as const), source: fc.constantFrom(...ALL_SOURCE_IDS), pick: fc.nat(), fromCustomer: fc.boolean() }),
  fc.record({ kind: fc.constant('close' as const), source: fc.constantFrom(...CLOSING_SOURCE_IDS), pick: fc.nat(), moves: fc.boolean() }),
);

/** Conversations matching the filter now, as `source:nativeId`, read from the simulators by the filter oracle. */
function matching(h: Harness, openOnly: boolean): Set<string> {
  return new Set(expectedEdges(oracleWorld(h.sandbox), openOnly ? { status: ['OPEN'] } : {}));
}

describe('conversations under change', () => {
  it('walks back when rows already read leave the filtered set and later rows shift to earlier pages', async () => {
    const h = await startHarness({ conversations: 150 });
    try {
      const filter = { sources: ['cw'], status: ['OPEN'] };
      const expected = [...matching(h, true)].filter((id) => id.startsWith('cw:'));
      expect(expected.length).toBeGreaterThan(50);
      const { nodes } = await walkAll(h, [20], filter, (page, soFar) => {
        // After the second page (read from provider pages 1 and 2), resolve the 20 rows
        // it showed without moving them: every later row moves 20 places up, and the
        // next unread ones now sit on provider page 1, before the page the cursor names.
        if (page !== 1) return;
        for (const node of soFar.slice(-20)) h.sandbox.chatwoot.setStatus(node.nativeId, 'resolved', { activityMessage: false });
      });
      const walked = nodes.map((n) => `cw:${n.nativeId}`);
      expect(new Set(walked).size).toBe(walked.length);
      expect(walked.sort()).toEqual(expected.sort());
    } finally {
      await h.close();
    }
  });

  for (const openOnly of [false, true]) {
    it(`returns every unchanged conversation exactly once while others change (${openOnly ? 'status OPEN' : 'no filter'})`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 4 }),
          fc.array(fc.array(changeArb, { maxLength: 4 }), { minLength: 1, maxLength: 12 }),
          async (sizes, changesPerPage) => {
            const h = await startHarness({ conversations: 80 });
            try {
              const before = matching(h, openOnly);
              const touched = new Set<string>();
              const filter = openOnly ? { status: ['OPEN'] } : undefined;
              const { nodes } = await walkAll(h, sizes, filter, (page) => {
                for (const change of changesPerPage[page % changesPerPage.length]!) {
                  const id = applyChange(h.sandbox, change);
                  if (id) touched.add(id);
                }
              });
              const walked = nodes.map((n) => `${n.source}:${n.nativeId}`);
              expect(new Set(walked).size).toBe(walked.length);
              const unchanged = [...before].filter((id) => !touched.has(id));
              const seen = new Set(walked);
              expect(unchanged.filter((id) => !seen.has(id))).toEqual([]);
              const times = nodes.map((n) => Date.parse(n.lastUpdate));
              expect(times).toEqual([...times].sort((a, b) => b - a));
            } finally {
              await h.close();
            }
          },
        ),
        { numRuns: 12 },
      );
      // Twelve sandboxes, each walked to the end: slow on a loaded machine, never hanging.
    }, 90_000);
  }
});

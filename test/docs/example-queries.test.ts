import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getOperationAST, parse, print, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONVERSATION_ID_PLACEHOLDER, EXAMPLE_QUERY, EXAMPLE_TABS, graphiqlDefaults } from '../../src/front/example-queries.js';
import { startHarness, type Harness } from '../gateway/harness.js';
import { startWriteHarness, type WriteHarness } from '../writes/harness.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The first GraphQL block of the README: the reference inbox query a client developer reads first. */
function readmeQuery(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /```graphql\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no graphql block');
  return block[1]!;
}

describe("GraphiQL's example tabs", () => {
  it("open with the README's reference inbox query", () => {
    expect(print(parse(EXAMPLE_TABS[0]!.query))).toBe(print(parse(readmeQuery())));
    expect(EXAMPLE_TABS[0]!.query).toBe(EXAMPLE_QUERY);
  });

  it('show where the API key goes only when keys are configured', () => {
    const open = graphiqlDefaults({ apiKeys: false });
    expect(open.defaultHeaders).toBeUndefined();
    expect(open.defaultTabs.every((tab) => tab.headers === undefined)).toBe(true);
    const keyed = graphiqlDefaults({ apiKeys: true });
    expect(keyed.defaultTabs).toHaveLength(EXAMPLE_TABS.length);
    for (const text of [keyed.defaultHeaders, ...keyed.defaultTabs.map((tab) => tab.headers)]) {
      expect(JSON.parse(text!)).toEqual({ Authorization: 'Bearer <your key>' });
    }
  });

  describe('on the sandbox', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ conversations: 120, seed: 3 });
    });
    afterAll(() => h.close());

    it.each(EXAMPLE_TABS.map((tab, index) => [index, tab] as const).filter(([, tab]) => operationOf(tab) === 'query'))('tab %i runs as written', async (_index, tab) => {
      const result = await h.query(tab.query, tab.variables ? JSON.parse(tab.variables) : undefined);
      expect(result.errors).toBeUndefined();
      expect(result.data.conversations.edges.length).toBeGreaterThan(0);
    });

    it('the live tab is a subscription the schema accepts', () => {
      const live = EXAMPLE_TABS.filter((tab) => operationOf(tab) === 'subscription');
      expect(live).toHaveLength(1);
      expect(validate(h.parley.yoga.getEnveloped().schema, parse(live[0]!.query))).toEqual([]);
    });
  });

  describe('the write tab, on a sandbox that writes', () => {
    let w: WriteHarness;
    beforeAll(async () => {
      w = await startWriteHarness();
    });
    afterAll(() => w.close());

    it('adds one note with the pasted id, and answers ALREADY_APPLIED when run again', async () => {
      const tab = EXAMPLE_TABS.find((candidate) => operationOf(candidate) === 'mutation')!;
      const variables = JSON.parse(tab.variables!);
      expect(variables.conversationId).toBe(CONVERSATION_ID_PLACEHOLDER);
      const [target] = await w.conversations(w.sandbox.sources()[0]!.id as string, 1);
      const pasted = { ...variables, conversationId: target!.id };
      const first = await w.query(tab.query, pasted);
      expect(first.errors).toBeUndefined();
      expect(first.data.replyToConversation).toMatchObject({ outcome: 'APPLIED', userErrors: [], part: { kind: 'NOTE', internal: true } });
      const again = await w.query(tab.query, pasted);
      expect(again.data.replyToConversation).toMatchObject({ outcome: 'ALREADY_APPLIED', userErrors: [] });
      expect(again.data.replyToConversation.part.id).toBe(first.data.replyToConversation.part.id);
    });
  });
});

function operationOf(tab: { query: string }) {
  return getOperationAST(parse(tab.query))?.operation;
}

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParley, type Parley } from '../../src/gateway/app.js';
import { parseConfig } from '../../src/config/schema.js';
import { EXAMPLE_QUERY, EXAMPLE_TABS } from '../../src/front/example-queries.js';
import { closeServer, createHttpServer, listen } from '../../src/front/http-server.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { SIMULATORS } from '../../src/sandbox/registry.js';

/**
 * GraphiQL as a person uses it: the gateway on the sandbox, listening on loopback, opened
 * in Debian's headless Chromium (never a downloaded browser); the example inbox query is
 * run with the execute button and the result pane is read.
 */

const CHROMIUM = '/usr/bin/chromium';
// CI must run it (.ci/run installs chromium); a developer machine without it skips, saying why.
const missing = !existsSync(CHROMIUM) && !process.env.CI;
const title = missing ? `GraphiQL in Chromium (skipped: ${CHROMIUM} is missing; apt-get install -y chromium)` : 'GraphiQL in Chromium';

/** Flags for a closed network and a root user: no sandbox, no GPU, nothing fetched in the background. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** An editor's text as drawn: Monaco draws spaces as no-break spaces. */
const textOf = async (locator: Locator) => (await locator.innerText()).replace(/\u00a0/g, ' ');

describe.skipIf(missing)(title, () => {
  let sandbox: Sandbox;
  let parley: Parley;
  let server: Server;
  let origin: string;
  let profile: string;
  let context: BrowserContext;

  beforeAll(async () => {
    // The world `npm start` serves: enough billing conversations for a full first page.
    sandbox = await startSandbox();
    // What `npm start` runs with no config: the sandbox sources, GraphiQL and introspection on, no keys, loopback.
    parley = createParley(
      parseConfig({ host: '127.0.0.1', cursorSecret: 'browser-test-cursor-secret', sources: sandbox.sources(), graphiql: true, introspection: true }),
    );
    await parley.gateway.warmUp();
    // The main port as server.ts builds it: the page and its assets come from the front door.
    server = createHttpServer(parley.listener);
    origin = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
    profile = mkdtempSync(join(tmpdir(), 'parley-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      // Tall enough that the result pane draws the first conversations, not only the sources.
      viewport: { width: 1400, height: 3000 },
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (server) await closeServer(server);
    await parley?.close();
    await sandbox?.close();
  });

  it('opens with the example inbox query, runs it from the execute button and shows the merged page', async () => {
    const page: Page = await context.newPage();
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(origin) && !/^(data|blob):/.test(request.url())) elsewhere.push(request.url());
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${origin}/graphql`);
    await expect.poll(() => textOf(page.locator('.graphiql-query-editor .view-lines')), { timeout: 15_000 }).toContain('query Inbox');
    // One tab per example (inbox, paging, a filter, a thread), the inbox first.
    await expect.poll(() => page.locator('.graphiql-tab').count()).toBe(EXAMPLE_TABS.length);
    expect((await page.locator('.graphiql-tab').allInnerTexts()).map((t) => t.trim())).toEqual(['Inbox', 'NextPage', 'Unassigned', 'Thread', 'Live', 'AddNote']);

    const answered = page.waitForResponse((response) => response.url() === `${origin}/graphql` && response.request().method() === 'POST' && (response.request().postData() ?? '').includes('query Inbox'));
    await page.locator('.graphiql-execute-button').click();
    const response = await answered;
    expect(response.status()).toBe(200);
    const sent = await response.json();
    expect(sent.errors, JSON.stringify(sent.errors)).toBeUndefined();
    const { edges, totalCount, sources } = sent.data.conversations;
    expect(edges).toHaveLength(20);
    expect(sources.map((s: { source: string; status: string }) => `${s.source}:${s.status}`)).toEqual(SIMULATORS.map(({ sourceId }) => `${sourceId}:OK`));

    // What the person sees: the same page, drawn in the result pane.
    const result = page.locator('.graphiql-response .view-lines');
    await expect.poll(() => textOf(result), { timeout: 10_000 }).toContain('"conversations"');
    // The pane wraps long lines: compare with whitespace runs collapsed.
    const shown = (await textOf(result)).replace(/\s+/g, ' ');
    expect(shown).toContain(`"totalCount": ${totalCount === null ? 'null' : totalCount}`);
    expect(shown).toContain(`"id": "${edges[0].node.id}"`);
    expect(shown).toContain(`"subject": ${JSON.stringify(edges[0].node.subject)}`);

    // The same query through the API answers the same page: the UI ran the example as written.
    const direct = await parley.yoga.fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: EXAMPLE_QUERY }),
    });
    expect((await direct.json()).data.conversations.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(edges.map((e: { node: { id: string } }) => e.node.id));

    expect(elsewhere).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('with API keys, shows where the key goes in the headers pane', async () => {
    const keyed = createParley(
      parseConfig({
        host: '127.0.0.1',
        cursorSecret: 'browser-test-cursor-secret',
        sources: sandbox.sources(),
        graphiql: true,
        apiKeys: [{ key: 'browser-test-api-key-0123456789', sources: SIMULATORS.map(({ sourceId }) => sourceId) }],
      }),
    );
    const keyedServer = createHttpServer(keyed.listener);
    try {
      const keyedOrigin = `http://127.0.0.1:${await listen(keyedServer, 0, '127.0.0.1')}`;
      const page: Page = await context.newPage();
      await page.goto(`${keyedOrigin}/graphql`);
      await expect.poll(() => textOf(page.locator('.graphiql-query-editor .view-lines')), { timeout: 15_000 }).toContain('query Inbox');
      await page.getByRole('button', { name: 'Headers' }).click();
      // The variables and headers editors both stay in the page; only the one shown is drawn with text.
      const tools = async () => (await page.locator('.graphiql-editor-tool .view-lines').allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
      await expect.poll(tools, { timeout: 10_000 }).toContain('"Authorization": "Bearer <your key>"');
    } finally {
      await closeServer(keyedServer);
      await keyed.close();
    }
  });
});

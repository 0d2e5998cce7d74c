import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTypedClient } from '../../examples/typed-client/codegen.js';
import { createParleyClient, type ParleyClient } from '../../examples/typed-client/src/client.js';
import { describeSources, readInboxPage, walkInbox } from '../../examples/typed-client/src/inbox.js';
import { createParley, type Parley } from '../../src/gateway/app.js';
import { parseConfig } from '../../src/config/schema.js';
import { closeServer, createHttpServer, listen } from '../../src/front/http-server.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ALL_SOURCE_IDS } from '../gateway/harness.js';

/**
 * examples/typed-client cannot rot: its generated code matches schema.graphql, it
 * type-checks, and it pages, filters and reads sources[] on a real gateway over the sandbox.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const KEY = 'typed-client-test-key-0123456789';

describe('examples/typed-client', () => {
  it('has its generated code up to date with schema.graphql and its documents', async () => {
    const outputs = await generateTypedClient();
    expect(outputs.map((output) => output.path).sort()).toEqual(
      ['gql.ts', 'graphql.ts', 'index.ts'].map((name) => `examples/typed-client/src/gql/${name}`),
    );
    for (const output of outputs) {
      const checkedIn = readFileSync(resolve(root, output.path), 'utf8');
      expect(checkedIn, `${output.path} is stale: run node --import tsx examples/typed-client/codegen.ts`).toBe(output.content);
    }
  });

  it('type-checks', () => {
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'examples/typed-client/tsconfig.json'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  describe('against the sandbox', () => {
    let sandbox: Sandbox;
    let parley: Parley;
    let server: Server;
    let client: ParleyClient;

    beforeAll(async () => {
      sandbox = await startSandbox({ conversations: 60, seed: 11 });
      parley = createParley(
        parseConfig({
          host: '127.0.0.1',
          cursorSecret: 'typed-client-cursor-secret',
          sources: sandbox.sources(),
          apiKeys: [{ key: KEY, sources: [...ALL_SOURCE_IDS] }],
        }),
      );
      await parley.gateway.warmUp();
      server = createHttpServer(parley.listener);
      const port = await listen(server, 0, '127.0.0.1');
      client = createParleyClient({ url: `http://127.0.0.1:${port}/graphql`, apiKey: KEY });
    });

    afterAll(async () => {
      if (server) await closeServer(server);
      await parley?.close();
      await sandbox?.close();
    });

    it('reads the inbox and pages on with endCursor, in order and without repeats', async () => {
      const pages = [];
      for await (const read of walkInbox(client, { first: 20, pages: 3 })) pages.push(read);
      expect(pages).toHaveLength(3);
      for (const { page, errors } of pages) {
        expect(errors).toEqual([]);
        expect(page.edges).toHaveLength(20);
      }
      const nodes = pages.flatMap(({ page }) => page.edges.map((edge) => edge.node));
      expect(new Set(nodes.map((node) => node.id)).size).toBe(60);
      const times = nodes.map((node) => Date.parse(node.lastUpdate));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(nodes.every((node) => node.user?.name)).toBe(true);
    });

    it('filters and reads sources[]', async () => {
      const { page } = await readInboxPage(client, { first: 10, filter: { status: ['PENDING'] } });
      expect(page.edges.length).toBeGreaterThan(0);
      expect(page.edges.every((edge) => edge.node.status === 'PENDING')).toBe(true);
      const pending = sandbox.chatwoot.store.conversations.filter((c) => c.status === 'pending').length;
      expect(page.sources.map((s) => [s.source, s.status])).toEqual(ALL_SOURCE_IDS.map((source) => [source, 'OK']));
      // Carrot quest and Intercom have no pending state: nothing there can match, so they count zero without a call.
      const exact: Record<string, boolean> = { cq: true, cw: true, rz: false, ic: true };
      expect(page.sources.filter((s) => s.source in exact).map((s) => [s.source, s.exact])).toEqual(Object.entries(exact));
      expect(describeSources(page).slice(0, 2)).toEqual([
        'cq: OK, 0 matching; pushed down [STATUS], checked by Parley []',
        `cw: OK, ${pending} matching; pushed down [STATUS], checked by Parley []`,
      ]);
    });

    it('keeps the page when a source fails, with the error beside it', async () => {
      sandbox.reamaze.addFault({ kind: 'rateLimit', retryAfter: 120, rate: 1 });
      try {
        const { page, errors } = await readInboxPage(client, { first: 10 });
        expect(page.edges).toHaveLength(10);
        expect(errors.map((e) => [e.extensions?.code, e.extensions?.source])).toEqual([['SOURCE_RATE_LIMITED', 'rz']]);
        expect(page.sources.find((s) => s.source === 'rz')).toMatchObject({ status: 'FAILED', errorCode: 'SOURCE_RATE_LIMITED' });
      } finally {
        sandbox.reamaze.clearFaults();
      }
    });
  });
});

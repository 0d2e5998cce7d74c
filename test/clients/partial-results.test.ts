import type { Server } from 'node:http';
import { Client, fetchExchange, gql } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParley, type Parley } from '../../src/gateway/app.js';
import { parseConfig } from '../../src/config/schema.js';
import { closeServer, createHttpServer, listen } from '../../src/front/http-server.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { SIMULATORS } from '../../src/sandbox/registry.js';

/**
 * docs/clients.md, as a client library sees it: one source down, and urql (`@urql/core`,
 * its defaults) still hands the application the other sources' page next to the errors.
 */

const INBOX = gql`
  query Inbox {
    conversations(first: 20) {
      sources { source status errorCode }
      edges { node { id source subject } }
    }
  }
`;

interface InboxData {
  conversations: {
    sources: Array<{ source: string; status: string; errorCode: string | null }>;
    edges: Array<{ node: { id: string; source: string; subject: string | null } }>;
  };
}

describe('partial results in a client library (urql)', () => {
  let sandbox: Sandbox;
  let parley: Parley;
  let server: Server;
  let client: Client;

  beforeAll(async () => {
    sandbox = await startSandbox({ conversations: 40, seed: 5 });
    parley = createParley(parseConfig({ host: '127.0.0.1', cursorSecret: 'clients-test-cursor-secret', sources: sandbox.sources() }));
    await parley.gateway.warmUp();
    server = createHttpServer(parley.listener);
    const port = await listen(server, 0, '127.0.0.1');
    // urql sends short queries as GET, which Parley's CSRF prevention refuses without an
    // Authorization or x-graphql-yoga-csrf header: POST, as docs/clients.md says.
    client = new Client({ url: `http://127.0.0.1:${port}/graphql`, exchanges: [fetchExchange], preferGetMethod: false });
  });

  afterAll(async () => {
    if (server) await closeServer(server);
    await parley?.close();
    await sandbox?.close();
  });

  it('keeps the healthy sources’ edges next to the failed source’s error, as urql delivers results by default', async () => {
    // Chatwoot answers every request with a 503 for this test.
    sandbox.chatwoot.addFault({ kind: 'error', status: 503, rate: 1 });
    try {
      const result = await client.query<InboxData>(INBOX, {}).toPromise();

      expect(result.error?.graphQLErrors.map((e) => [e.extensions.code, e.extensions.source])).toEqual([['SOURCE_UNAVAILABLE', 'cw']]);
      expect(result.error?.networkError).toBeUndefined();
      const page = result.data!.conversations;
      expect(page.edges).toHaveLength(20);
      const healthy = SIMULATORS.map(({ sourceId }) => sourceId).filter((source) => source !== 'cw');
      expect(new Set(page.edges.map((edge) => edge.node.source))).toEqual(new Set(healthy));
      expect(page.sources).toEqual(
        SIMULATORS.map(({ sourceId: source }) =>
          source === 'cw' ? { source, status: 'FAILED', errorCode: 'SOURCE_UNAVAILABLE' } : { source, status: 'OK', errorCode: null },
        ),
      );
    } finally {
      sandbox.chatwoot.clearFaults();
    }
  });
});

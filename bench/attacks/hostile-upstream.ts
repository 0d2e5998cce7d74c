import type { Attack, AttackTarget } from './attack.js';
import { loopClients } from './clients.js';
import { providerDeclarations } from '../../src/providers/catalogue.js';
import { inbox } from '../scenarios.js';
import { ATTACKER_SIMULATOR } from './config.js';

const CLIENTS = 2;

/**
 * Issue 11 (4): the attacker's source answers every conversation list with a 200 that is far too
 * big (`huge` fault of the simulators), while two clients with the attacker's key (that
 * source only) read their inbox in a loop. The probe reads that source too: its answers
 * are partial when the gateway refuses the body, which is the point (not a refusal).
 */
function hostileUpstream(key: string, title: string, fault: { megabytes: number } | { rows: number }): Attack {
  return {
    key,
    title,
    gateway: 'keyed',
    async start(target) {
      await addFault(target, { kind: 'huge', rate: 1, pathIncludes: '/conversations', ...fault });
      const request = inbox(null).parley;
      const clients = loopClients(target.url, CLIENTS, {
        method: 'POST',
        path: request.path,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...target.attackerAuth },
        body: request.body,
      });
      return {
        async stop() {
          const tally = await clients.stop();
          await target.control.clearFaults();
          return String(tally);
        },
      };
    },
  };
}

/** On the attacker's source's simulator alone: the other sources stay healthy. */
async function addFault(target: AttackTarget, rule: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${target.sandbox.urls[ATTACKER_SIMULATOR.provider]}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  if (response.status !== 201) throw new Error(`the simulator refused the fault: HTTP ${response.status} ${await response.text()}`);
}

const target = providerDeclarations[ATTACKER_SIMULATOR.provider].displayName;
export const hugeBody = hostileUpstream('huge-body', `(4a) ${target} lists: 200 with 50 MB of padding`, { megabytes: 50 });
export const hugeRows = hostileUpstream('huge-rows', `(4b) ${target} lists: 200 with 100,000 rows`, { rows: 100_000 });

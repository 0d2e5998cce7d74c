import type { Attack, AttackTarget } from './attack.js';
import { loopClients } from './clients.js';
import { inbox } from '../scenarios.js';

const CLIENTS = 2;

/**
 * Issue 11 (4): Carrot quest answers every conversation list with a 200 that is far too
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

/** On the Carrot quest simulator alone: the other two sources stay healthy. */
async function addFault(target: AttackTarget, rule: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${target.sandbox.urls.carrotquest}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  if (response.status !== 201) throw new Error(`the simulator refused the fault: HTTP ${response.status} ${await response.text()}`);
}

export const hugeBody = hostileUpstream('huge-body', '(4a) Carrot quest lists: 200 with 50 MB of padding', { megabytes: 50 });
export const hugeRows = hostileUpstream('huge-rows', '(4b) Carrot quest lists: 200 with 100,000 rows', { rows: 100_000 });

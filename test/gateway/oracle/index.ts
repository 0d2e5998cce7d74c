import type { Sandbox } from '../../../src/sandbox/index.js';
import { carrotquestFacts } from './carrotquest.js';
import { chatwootFacts } from './chatwoot.js';
import type { World } from './facts.js';
import { reamazeFacts } from './reamaze.js';

export * from './evaluate.js';
export * from './facts.js';

/** The facts of every source's universe, read from the simulators' stores right now. */
export function oracleWorld(sandbox: Sandbox, now = Date.now()): World {
  return {
    cq: carrotquestFacts(sandbox.carrotquest.store, now),
    cw: chatwootFacts(sandbox.chatwoot.store),
    rz: reamazeFacts(sandbox.reamaze.store),
  };
}

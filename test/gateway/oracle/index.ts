import type { Sandbox } from '../../../src/sandbox/index.js';
import { SIMULATORS, type SimulatedProvider } from '../../../src/sandbox/registry.js';
import { carrotquestFacts } from './carrotquest.js';
import { chatwootFacts } from './chatwoot.js';
import type { Facts, SourceId, World } from './facts.js';
import { reamazeFacts } from './reamaze.js';

export * from './evaluate.js';
export * from './facts.js';

/** How the oracle reads each provider's simulator: a simulator without a reading here does not type-check. */
const READINGS: { [P in SimulatedProvider]: (simulator: Sandbox[P], source: SourceId, now: number) => Facts[] } = {
  carrotquest: (simulator, source, now) => carrotquestFacts(simulator.store, source, now),
  chatwoot: (simulator, source) => chatwootFacts(simulator.store, source),
  reamaze: (simulator, source) => reamazeFacts(simulator.store, source),
};

/** The facts of every source's universe, read from the simulators' stores right now. */
export function oracleWorld(sandbox: Sandbox, now = Date.now()): World {
  const read = <P extends SimulatedProvider>(provider: P, source: SourceId) => READINGS[provider](sandbox[provider], source, now);
  return Object.fromEntries(SIMULATORS.map((simulator) => [simulator.sourceId, read(simulator.provider, simulator.sourceId)])) as World;
}

import type { Sandbox } from '../../../src/sandbox/index.js';
import { SIMULATORS, type SimulatedProvider } from '../../../src/sandbox/registry.js';
import { carrotquestFacts, carrotquestUnsupported } from './carrotquest.js';
import { chatwootFacts, chatwootUnsupported } from './chatwoot.js';
import type { FilterSpec } from './evaluate.js';
import type { Facts, SourceId, World } from './facts.js';
import { reamazeFacts, reamazeUnsupported } from './reamaze.js';
import { intercomFacts, intercomUnsupported } from './intercom.js';

export * from './evaluate.js';
export * from './facts.js';

/**
 * What the oracle knows of each provider: how it reads its simulator, and which filter parts
 * the provider cannot answer at all (in FilterPart order). A simulator without an entry here
 * does not type-check.
 */
interface ProviderOracle<P extends SimulatedProvider> {
  facts(simulator: Sandbox[P], source: SourceId, now: number): Facts[];
  unsupported(spec: FilterSpec): string[];
}

const ORACLES: { [P in SimulatedProvider]: ProviderOracle<P> } = {
  carrotquest: { facts: (simulator, source, now) => carrotquestFacts(simulator.store, source, now), unsupported: carrotquestUnsupported },
  chatwoot: { facts: (simulator, source) => chatwootFacts(simulator.store, source), unsupported: chatwootUnsupported },
  reamaze: { facts: (simulator, source) => reamazeFacts(simulator.store, source), unsupported: reamazeUnsupported },
  intercom: { facts: (simulator, source) => intercomFacts(simulator.store, source), unsupported: intercomUnsupported },
};

/** The facts of every source's universe, read from the simulators' stores right now. */
export function oracleWorld(sandbox: Sandbox, now = Date.now()): World {
  const read = <P extends SimulatedProvider>(provider: P, source: SourceId) => ORACLES[provider].facts(sandbox[provider], source, now);
  return Object.fromEntries(SIMULATORS.map((simulator) => [simulator.sourceId, read(simulator.provider, simulator.sourceId)])) as World;
}

/** The filter parts a sandbox source's provider cannot answer: that source is SKIPPED with FILTER_UNSUPPORTED. */
export function unsupportedParts(source: SourceId, spec: FilterSpec): string[] {
  const simulator = SIMULATORS.find((candidate) => candidate.sourceId === source);
  if (!simulator) throw new Error(`no sandbox source ${source}`);
  return ORACLES[simulator.provider].unsupported(spec);
}

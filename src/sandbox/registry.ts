import { carrotquestSimulator } from './carrotquest/index.js';
import { chatwootSimulator } from './chatwoot/index.js';
import { reamazeSimulator } from './reamaze/index.js';
import { intercomSimulator } from './intercom/index.js';

/**
 * One simulator per provider: the sandbox, `npm run sandbox` and the benchmark derive
 * their ports, seeds and source configs from this list.
 */
export const SIMULATORS = [carrotquestSimulator, chatwootSimulator, reamazeSimulator, intercomSimulator] as const;

export type SimulatedProvider = (typeof SIMULATORS)[number]['provider'];
/** The sandbox's source ids. */
export type SandboxSourceId = (typeof SIMULATORS)[number]['sourceId'];

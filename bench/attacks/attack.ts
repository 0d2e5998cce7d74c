import type { SandboxInfo } from '../processes.js';
import type { Control } from '../sandbox-control.js';

/** What an attack is aimed at. */
export interface AttackTarget {
  /** The gateway, `http://127.0.0.1:<port>`. */
  url: string;
  /** The gateway's metrics server (`metrics.port`), null when the config leaves it unknown (port 0) or off. */
  metricsUrl: string | null;
  /** The `Authorization` header of the attacker's key (scoped to source `cq`); empty on a gateway without keys. */
  attackerAuth: Record<string, string>;
  sandbox: SandboxInfo;
  control: Control;
}

export interface Attack {
  key: string;
  title: string;
  /** `open`: the gateway without `apiKeys` (GraphiQL is off by default once keys are set). */
  gateway: 'keyed' | 'open';
  /** Starts the attack and returns once it is under way. */
  start(target: AttackTarget): Promise<RunningAttack>;
}

export interface RunningAttack {
  /** Ends the attack (every socket destroyed, every fault cleared) and says what the attacker got. */
  stop(): Promise<string>;
}

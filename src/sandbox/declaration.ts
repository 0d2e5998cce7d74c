import type { Simulator } from './kit/simulator-server.js';

/** What the sandbox passes every simulator it starts. */
export interface SandboxStartOptions {
  port: number;
  seed: number;
  conversations?: number;
  now?: () => number;
  /** Equal-key rows in a fresh random order per request, where the provider has no stable order. */
  shuffleTies: boolean;
}

/**
 * How the sandbox starts one provider's simulator and points Parley at it. The provider is
 * named by its plain string: simulators never import adapter code.
 */
export interface SimulatorDeclaration<Name extends string = string, Sim extends Simulator = Simulator, Id extends string = string> {
  /** The provider simulated (a source's `provider`). */
  readonly provider: Name;
  /** The id of its source in the sandbox's config. */
  readonly sourceId: Id;
  /** Its loopback port under `npm run sandbox` and `npm start`. */
  readonly defaultPort: number;
  /** The environment variable that overrides `defaultPort` for `npm run sandbox`. */
  readonly portEnv: string;
  /** Added to the sandbox seed, so each simulator's world differs and stays the same run to run. */
  readonly seedOffset: number;
  start(options: SandboxStartOptions): Promise<Sim>;
  /** The source's config (besides `id` and `provider`) that reads this simulator. */
  sourceSettings(simulator: Sim): Record<string, unknown>;
  /** The identity the sandbox's writes act as (`actAs.<sourceId>`): a user the simulator knows. @default none: read-only */
  actAs?(simulator: Sim): Record<string, unknown>;
  /**
   * Points the simulator's push at the gateway once it listens (`url`: its base URL), the
   * way an operator would (e.g. registering a webhook through the provider's API). @default no push
   */
  connectLive?(simulator: Sim, gateway: { url: string; sourceId: string }): Promise<void>;
  /** The conversation with the most parts, for the benchmark's thread scenario. @default none */
  longestThread?(simulator: Sim): { conversationId: string; parts: number };
  /**
   * How the control API is driven for a customer's message (`npm run bench:live`): the id
   * in `POST /__sandbox/change/conversation`'s answer, and the body of `/__sandbox/change/reply`.
   * @default none: the live benchmark leaves this provider out
   */
  customerChanges?: {
    conversationId(created: unknown): string;
    reply(conversationId: string, body: string): Record<string, unknown>;
  };
}

/** Keeps the literal provider name and source id and the simulator's own type, for the sandbox registry. */
export function defineSimulator<const Name extends string, Sim extends Simulator, const Id extends string>(
  declaration: SimulatorDeclaration<Name, Sim, Id>,
): SimulatorDeclaration<Name, Sim, Id> {
  return declaration;
}

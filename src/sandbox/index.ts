import type { SandboxStartOptions } from './declaration.js';
import { SIMULATORS, type SimulatedProvider } from './registry.js';

type Declared = (typeof SIMULATORS)[number];
type SimulatorOf<P extends SimulatedProvider> = Awaited<ReturnType<Extract<Declared, { provider: P }>['start']>>;

/** Default loopback ports of the simulators (`npm run sandbox`, `npm start`). */
export const SANDBOX_PORTS = Object.fromEntries(SIMULATORS.map((simulator) => [simulator.provider, simulator.defaultPort])) as {
  readonly [P in SimulatedProvider]: number;
};

export interface SandboxOptions {
  ports?: Partial<Record<SimulatedProvider, number>>;
  seed?: number;
  conversations?: number;
  now?: () => number;
  /**
   * Simulators of providers without a stable order among equal sort keys return such rows
   * in a fresh random order per request (as an unstable SQL sort does); switchable later per
   * simulator (`setShuffleTies`, `POST /__sandbox/ties`). @default false
   */
  shuffleTies?: boolean;
}

/** One started simulator per provider, by provider name, plus the config that reads them. */
export type Sandbox = { readonly [P in SimulatedProvider]: SimulatorOf<P> } & {
  /** Source entries for Parley's config, pointing at these simulators. */
  sources(): Array<{ id: string; provider: SimulatedProvider } & Record<string, unknown>>;
  /** Write identities for Parley's config (`actAs`), per source id, for the simulators that declare one. */
  actAs(): Record<string, Record<string, unknown>>;
  /** Connects each simulator's push (webhooks, feeds) to the gateway at `gatewayUrl`, once it listens. */
  connectLive(gatewayUrl: string): Promise<void>;
  close(): Promise<void>;
};

/** Starts one simulator per provider, each filled with its own deterministic world. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? 1;
  const started = await Promise.all(
    SIMULATORS.map((declaration) => {
      const start: SandboxStartOptions = {
        seed: seed + declaration.seedOffset,
        port: options.ports?.[declaration.provider] ?? 0,
        shuffleTies: options.shuffleTies ?? false,
        ...(options.conversations !== undefined ? { conversations: options.conversations } : {}),
        ...(options.now ? { now: options.now } : {}),
      };
      return (declaration.start as (o: SandboxStartOptions) => Promise<SimulatorOf<SimulatedProvider>>)(start);
    }),
  );
  const byProvider = Object.fromEntries(SIMULATORS.map((declaration, index) => [declaration.provider, started[index]!]));
  return {
    ...byProvider,
    sources: () =>
      SIMULATORS.map((declaration, index) => ({
        id: declaration.sourceId,
        provider: declaration.provider,
        ...(declaration.sourceSettings as (simulator: unknown) => Record<string, unknown>)(started[index]),
      })),
    actAs: () =>
      Object.fromEntries(
        SIMULATORS.flatMap((declaration, index) => {
          const actAs = declaration.actAs as ((simulator: unknown) => Record<string, unknown>) | undefined;
          return actAs ? [[declaration.sourceId, actAs(started[index])]] : [];
        }),
      ),
    connectLive: async (gatewayUrl: string) => {
      await Promise.all(
        SIMULATORS.map((declaration, index) => {
          const connect = declaration.connectLive as ((simulator: unknown, gateway: { url: string; sourceId: string }) => Promise<void>) | undefined;
          return connect?.(started[index], { url: gatewayUrl, sourceId: declaration.sourceId });
        }),
      );
    },
    close: async () => {
      await Promise.all(started.map((simulator) => simulator.close()));
    },
  } as Sandbox;
}

import { startCarrotquestSimulator } from './carrotquest/index.js';
import { startChatwootSimulator } from './chatwoot/index.js';
import { startReamazeSimulator } from './reamaze/index.js';

/** Default loopback ports of the three simulators (`npm run sandbox`, `npm start`). */
export const SANDBOX_PORTS = { carrotquest: 4101, chatwoot: 4102, reamaze: 4103 } as const;

export interface SandboxOptions {
  ports?: Partial<Record<keyof typeof SANDBOX_PORTS, number>>;
  seed?: number;
  conversations?: number;
  now?: () => number;
  /**
   * Chatwoot and Re:amaze return rows with equal sort keys in a fresh random order per
   * request (as an unstable SQL sort does); switchable later per simulator
   * (`setShuffleTies`, `POST /__sandbox/ties`). @default false
   */
  shuffleTies?: boolean;
}

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/** Starts one simulator per provider, each filled with its own deterministic world. */
export async function startSandbox(options: SandboxOptions = {}) {
  const common = {
    seed: options.seed ?? 1,
    ...(options.conversations !== undefined ? { conversations: options.conversations } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  const [carrotquest, chatwoot, reamaze] = await Promise.all([
    startCarrotquestSimulator({ ...common, port: options.ports?.carrotquest ?? 0 }),
    startChatwootSimulator({ ...common, seed: common.seed + 1, port: options.ports?.chatwoot ?? 0, shuffleTies: options.shuffleTies ?? false }),
    startReamazeSimulator({ ...common, seed: common.seed + 2, port: options.ports?.reamaze ?? 0, shuffleTies: options.shuffleTies ?? false }),
  ]);
  return {
    carrotquest,
    chatwoot,
    reamaze,
    /** Source entries for Parley's config, pointing at these simulators. */
    sources() {
      return [
        { id: 'cq', provider: 'carrotquest', baseUrl: carrotquest.url, appId: carrotquest.credentials.appId, token: carrotquest.credentials.token },
        { id: 'cw', provider: 'chatwoot', baseUrl: chatwoot.url, accountId: chatwoot.credentials.accountId, token: chatwoot.credentials.token },
        { id: 'rz', provider: 'reamaze', baseUrl: reamaze.url, email: reamaze.credentials.email, token: reamaze.credentials.token },
      ];
    },
    async close() {
      await Promise.all([carrotquest.close(), chatwoot.close(), reamaze.close()]);
    },
  };
}

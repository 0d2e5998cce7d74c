import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIMULATORS } from '../../src/sandbox/registry.js';
import { freePort, type SandboxInfo } from '../processes.js';

/** The two callers of the keyed gateway: the attacker reads one source, the victim every source. */
export const KEYS = {
  attacker: 'attack-bench-attacker-key-0000000001',
  victim: 'attack-bench-victim-key-00000000001',
} as const;
/** The attacker's one source: the first simulator's (the hostile-upstream attacks turn it against the gateway). */
export const ATTACKER_SIMULATOR = SIMULATORS[0];
export const ATTACKER_SOURCES = [ATTACKER_SIMULATOR.sourceId];

/**
 * The gateway's config for the attacks: its own defaults for every limit (those are what
 * is under test), with or without `apiKeys`, and its metrics on a free port of their own;
 * `extra` is merged on top (`--config-extra`).
 */
export async function writeAttackConfig(
  sandbox: SandboxInfo,
  withKeys: boolean,
  extra: Record<string, unknown>,
  /** Requests per second the attacker's key may send (`apiKeys[].rateLimit`); none when absent. */
  attackerRateLimit?: number,
): Promise<{ path: string; port: number; metricsPort: number | null }> {
  const port = await freePort();
  const config = {
    port,
    host: '127.0.0.1',
    metrics: { port: await freePort() },
    cursorSecret: 'parley-attack-bench-cursor-secret',
    sources: sandbox.sources,
    ...(withKeys
      ? {
          apiKeys: [
            {
              key: KEYS.attacker,
              sources: ATTACKER_SOURCES,
              ...(attackerRateLimit ? { rateLimit: { requests: attackerRateLimit, perSeconds: 1 } } : {}),
            },
            { key: KEYS.victim, sources: sandbox.sources.map((source) => source.id) },
          ],
        }
      : {}),
    ...extra,
  };
  const path = join(mkdtempSync(join(tmpdir(), 'parley-attack-')), 'config.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return { path, port, metricsPort: metricsPortOf(config.metrics) };
}

/** The metrics port a config names: unknown when it is off or left to the system (0). */
function metricsPortOf(metrics: unknown): number | null {
  if (typeof metrics !== 'object' || metrics === null) return null;
  const { port, enabled } = metrics as { port?: unknown; enabled?: unknown };
  return enabled !== false && typeof port === 'number' && port > 0 ? port : null;
}

import { SIMULATORS } from './registry.js';
import { startSandbox } from './index.js';

/**
 * `npm run sandbox`: every provider simulator on its default loopback port (each overridden
 * by the variable its declaration names; SANDBOX_SEED picks another world).
 */
const ports = Object.fromEntries(SIMULATORS.map((simulator) => [simulator.provider, Number(process.env[simulator.portEnv] ?? simulator.defaultPort)]));

const sandbox = await startSandbox({ ports, seed: Number(process.env.SANDBOX_SEED ?? 1) });

for (const source of sandbox.sources()) {
  const { id: _id, provider, baseUrl, ...credentials } = source;
  console.log(`${provider.padEnd(12)} ${String(baseUrl)}  ${JSON.stringify(credentials)}`);
}
console.log('Control API: GET|POST <url>/__sandbox/{stats,latency,faults,requests,change/...} (see README).');

const stop = () => void sandbox.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

import { SANDBOX_PORTS, startSandbox } from './index.js';

/**
 * `npm run sandbox`: the three provider simulators on their default loopback ports
 * (override with CQ_PORT, CW_PORT, RZ_PORT; SANDBOX_SEED picks another world).
 */
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const sandbox = await startSandbox({
  ports: {
    carrotquest: port('CQ_PORT', SANDBOX_PORTS.carrotquest),
    chatwoot: port('CW_PORT', SANDBOX_PORTS.chatwoot),
    reamaze: port('RZ_PORT', SANDBOX_PORTS.reamaze),
  },
  seed: Number(process.env.SANDBOX_SEED ?? 1),
});

for (const source of sandbox.sources()) {
  const { id: _id, provider, baseUrl, ...credentials } = source;
  console.log(`${provider.padEnd(12)} ${baseUrl}  ${JSON.stringify(credentials)}`);
}
console.log('Control API: GET|POST <url>/__sandbox/{stats,latency,faults,requests,change/...} (see README).');

const stop = () => void sandbox.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

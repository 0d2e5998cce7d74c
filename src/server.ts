import { createServer } from 'node:http';
import { createParley } from './app.js';
import { ConfigError, loadConfigFile, parseConfig, type Config } from './config.js';

/**
 * Start-up only: config -> gateway -> listen. With PARLEY_CONFIG unset, Parley runs on
 * the sandbox: the three simulators in-process on loopback and the gateway over them.
 */
async function loadConfig(): Promise<{ config: Config; stopSandbox?: () => Promise<void> }> {
  const path = process.env.PARLEY_CONFIG;
  if (path) return { config: loadConfigFile(path) };

  // Imported here only: the simulators and their data generator cost ~40 MB a configured gateway never uses.
  const { SANDBOX_PORTS, startSandbox } = await import('./sandbox/index.js');
  const sandbox = await startSandbox({ ports: SANDBOX_PORTS });
  const config = parseConfig({
    port: Number(process.env.PORT ?? 4000),
    host: '127.0.0.1',
    // The sandbox holds no real data; a fixed secret keeps its cursors valid across restarts.
    cursorSecret: 'parley-sandbox-cursor-secret',
    sources: sandbox.sources(),
    graphiql: true,
    introspection: true,
  });
  console.log('No PARLEY_CONFIG: running on the sandbox simulators, listening on 127.0.0.1 only.');
  return { config, stopSandbox: () => sandbox.close() };
}

try {
  const { config, stopSandbox } = await loadConfig();
  const parley = createParley(config);
  if (!config.apiKeys) {
    // The config schema allows this on loopback only; say so, since anyone on this machine reads everything.
    console.log(`No API keys configured: every caller reads every source, so Parley listens on ${config.host} only.`);
  }
  await parley.gateway.warmUp();
  const server = createServer(parley.yoga);
  server.listen(config.port, config.host, () => {
    console.log(`Parley is serving GraphQL and GraphiQL at http://${config.host}:${config.port}/graphql`);
  });
  const stop = async () => {
    server.close();
    await parley.close();
    await stopSandbox?.();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

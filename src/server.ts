import { createServer } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { collectDefaultMetrics } from 'prom-client';
import { createParley } from './app.js';
import { ConfigError, loadConfigFile, parseConfig, type Config } from './config.js';

/**
 * Start-up only: config -> gateway -> listen. With PARLEY_CONFIG unset, Parley runs on
 * the sandbox: the three simulators in-process on loopback and the gateway over them.
 */
async function loadConfig(): Promise<{ config: Config; stopSandbox?: () => Promise<void>; note?: string }> {
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
  return { config, stopSandbox: () => sandbox.close(), note: 'No PARLEY_CONFIG: running on the sandbox simulators, listening on 127.0.0.1 only.' };
}

try {
  const { config, stopSandbox, note } = await loadConfig();
  // A process-wide setting, so it belongs here rather than in the app; V8 reads it at each full collection.
  if (config.heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
  const parley = createParley(config);
  const { logger, metrics } = parley.gateway;
  // Process metrics (CPU, memory, event loop lag, GC) belong to the process: registered once, here.
  if (metrics) collectDefaultMetrics({ register: metrics.registry });
  if (note) logger.info(note);
  if (!config.apiKeys) {
    // The config schema allows this on loopback only; say so, since anyone on this machine reads everything.
    logger.warn(`No API keys configured: every caller reads every source, so Parley listens on ${config.host} only.`);
  }
  await parley.gateway.warmUp();
  const server = createServer(parley.listener);
  server.listen(config.port, config.host, () => {
    logger.info(`Parley is serving GraphQL and GraphiQL at http://${config.host}:${config.port}/graphql`);
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

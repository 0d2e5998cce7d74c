import { readFileSync } from 'node:fs';
import { configSchema } from '../config/schema.js';
import { displayNameList, PROVIDERS, providerDeclarations } from '../providers/catalogue.js';
import { SIMULATORS } from '../sandbox/registry.js';
import { configOptions, type ConfigOption } from './config-options.js';

/**
 * `node dist/server.js --help | --version`: answered before anything starts. Any other
 * argument is refused, since the server takes its settings from the config file only.
 */

/** Every environment variable Parley reads (a test checks the code reads no other). */
export const ENVIRONMENT: ReadonlyArray<readonly [name: string, meaning: string]> = [
  ['PARLEY_CONFIG', 'path of the JSON config file; unset: run on the sandbox simulators (loopback only)'],
  ['PORT', 'the port without PARLEY_CONFIG (sandbox mode); with a config file, `port` decides (default 4000)'],
  ['PARLEY_LOG_LEVEL', 'log level when the config sets no `logLevel` (default info)'],
  ['PARLEY_REDIS_URL', 'Redis URL when the config sets no `redis.url`: shared state across replicas'],
  ['NODE_ENV', '`development` adds stack traces to error responses; `npm start` sets production'],
  [SIMULATORS.map((s) => s.portEnv).join(', '), `\`npm run sandbox\` only: the simulators' ports (default ${SIMULATORS.map((s) => s.defaultPort).join(', ')})`],
  ['SANDBOX_SEED', '`npm run sandbox` only: another generated world (default 1)'],
  ['${ANY_NAME}', 'a config value written "${ANY_NAME}" is read from that variable (secrets)'],
];

/** The version in package.json, read at run time from the package root. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

function optionLines(options: readonly ConfigOption[]): string[] {
  const width = Math.max(...options.map((o) => o.path.length)) + 2;
  return options.map((o) => {
    const notes = [o.accepts, o.required ? 'required' : undefined, o.defaultText ? `default ${o.defaultText}` : undefined].filter(Boolean);
    return `  ${o.path.padEnd(width)}${notes.join('; ')}`;
  });
}

export function helpText(): string {
  const providerSections = PROVIDERS.flatMap((provider) => [
    '',
    `  sources[] with "provider": "${provider}" also take (docs/providers/${provider}.md):`,
    ...optionLines(configOptions(providerDeclarations[provider].configSchema, 'sources[]').filter((o) => o.path !== 'sources[]')).map((line) => `  ${line}`),
  ]);
  return [
    `Parley ${packageVersion()}: one GraphQL API over ${displayNameList()} conversations.`,
    '',
    'Usage: node dist/server.js            serve GraphQL (and GraphiQL) at http://<host>:<port>/graphql',
    '       node dist/server.js --help     this text',
    '       node dist/server.js --version  the version',
    '',
    'Environment:',
    ...ENVIRONMENT.map(([name, meaning]) => `  ${name.padEnd(26)}${meaning}`),
    '',
    'Config file settings (JSON; see README.md, Configuration):',
    ...optionLines(configOptions(configSchema)),
    ...providerSections,
    '',
  ].join('\n');
}

/** Handles the command line: an exit code when it was answered here, null to start the server. */
export function runCommandLine(args: readonly string[], out: (text: string) => void = (t) => process.stdout.write(t)): number | null {
  if (args.length === 0) return null;
  if (args.includes('--help') || args.includes('-h')) {
    out(helpText());
    return 0;
  }
  if (args.includes('--version') || args.includes('-v')) {
    out(`${packageVersion()}\n`);
    return 0;
  }
  process.stderr.write(`unknown argument ${JSON.stringify(args[0])}: Parley takes its settings from PARLEY_CONFIG (see --help)\n`);
  return 2;
}

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROVIDER_DECLARATIONS } from '../../src/providers/catalogue.js';
import { SIMULATORS } from '../../src/sandbox/registry.js';

/** The server's command line, as an operator runs it: a process, its output and exit code. */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function runServer(...args: string[]) {
  // The source entry through tsx: the same module dist/server.js is compiled from, never stale.
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, PARLEY_CONFIG: '' },
  });
}

/** Every environment variable name the source code reads. */
function variablesReadBySource(): string[] {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
    });
  const names = new Set<string>();
  for (const file of files(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of [/process\.env\.([A-Z][A-Z0-9_]*)/g, /process\.env\[['"]([A-Z][A-Z0-9_]*)['"]\]/g, /\benv\.([A-Z][A-Z0-9_]*)\b/g, /port\('([A-Z][A-Z0-9_]*)'/g]) {
      for (const match of text.matchAll(pattern)) names.add(match[1]!);
    }
  }
  // `npm run sandbox` reads each simulator's port variable by the name its declaration gives.
  for (const simulator of SIMULATORS) names.add(simulator.portEnv);
  // Set by the test runner itself, not by an operator.
  names.delete('VITEST');
  return [...names].sort();
}

describe('node dist/server.js --help', () => {
  const help = runServer('--help');

  it('prints the help and exits 0 without starting anything', () => {
    expect(help.status).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^Parley \d+\.\d+\.\d+/);
    expect(help.stdout).not.toMatch(/serving GraphQL|"level"/);
  });

  it('lists every environment variable the code reads', () => {
    const read = variablesReadBySource();
    expect(read).toEqual(expect.arrayContaining(['PARLEY_CONFIG', 'PORT', 'PARLEY_LOG_LEVEL', 'PARLEY_REDIS_URL', 'NODE_ENV', 'CQ_PORT', 'SANDBOX_SEED']));
    const environment = help.stdout.slice(help.stdout.indexOf('Environment:'), help.stdout.indexOf('Config file settings'));
    for (const name of read) expect(environment, name).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('lists the config settings with what they accept and their defaults', () => {
    const line = (path: string) => help.stdout.split('\n').find((l) => l.trim().startsWith(`${path} `))?.trim().replace(/\s+/g, ' ');
    expect(line('port')).toBe('port a whole number between 0 and 65535; default 4000');
    expect(line('cursorSecret')).toBe('cursorSecret text of at least 16 characters; required');
    expect(line('limits.depth')).toBe('limits.depth a whole number between 1 and 100; default 10');
    expect(line('metrics.port')).toBe('metrics.port a whole number between 0 and 65535; default 9464');
    expect(line('sources[].provider')).toBe(`sources[].provider one of ${PROVIDER_DECLARATIONS.map(({ name }) => `"${name}"`).join(', ')}; required`);
    expect(line('resilience.retry.maxRetries')).toBe('resilience.retry.maxRetries a whole number between 0 and 10; default 2');
    expect(help.stdout).toContain('sources[] with "provider": "chatwoot" also take');
    expect(line('sources[].accountId')).toMatch(/^sources\[\]\.accountId .*required$/);
  });
});

describe('node dist/server.js --version', () => {
  it('prints the version of package.json and exits 0', () => {
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    const result = runServer('--version');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });

  it('refuses an unknown argument with exit code 2, pointing at --help', () => {
    const result = runServer('--port', '5000');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--help');
    expect(result.stdout).toBe('');
  });
});

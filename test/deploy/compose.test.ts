import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readConfigFile } from '../../src/config/schema.js';
import { readText, ROOT } from './paths.js';

/** docker-compose.yml and deploy/ against the image, the config loader and the gateway's code. */

interface Service {
  build?: string;
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(readText('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const replicas = Object.entries(services).filter(([, service]) => service.build === '.');
const configPort = (JSON.parse(readText('deploy/parley.json')) as { port: number }).port;

/** The repository file a service mounts at `target`. */
function mounted(service: Service, target: string): string {
  const volume = (service.volumes ?? []).map((spec) => spec.split(':')).find(([, inside]) => inside === target);
  if (!volume) throw new Error(`nothing is mounted at ${target}`);
  return posix.normalize(volume[0]!);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

describe('docker-compose.yml', () => {
  it('runs two replicas of the image from this Dockerfile, with the same settings', () => {
    expect(replicas.map(([name]) => name)).toEqual(['parley-1', 'parley-2']);
    const [[, first], [, second]] = replicas as [[string, Service], [string, Service]];
    // One cursorSecret for all: a cursor minted by one replica must verify on the other.
    expect(second).toEqual(first);
    expect(first.environment?.PARLEY_CURSOR_SECRET).toMatch(/^\$\{PARLEY_CURSOR_SECRET:\?/);
  });

  it('gives each replica a config file the config loader accepts', () => {
    const [, replica] = replicas[0]!;
    const file = mounted(replica, replica.environment!.PARLEY_CONFIG!);
    expect(file).toBe('deploy/parley.json');
    // The container's environment: literal values as written, secrets from .env as placeholders.
    const env = Object.fromEntries(
      Object.entries(replica.environment!).map(([name, value]) => [name, value.startsWith('${') ? `example-value-for-${name.toLowerCase()}` : value]),
    );
    const { config } = readConfigFile(join(ROOT, file), env);
    expect(config.host).toBe('0.0.0.0');
    expect(config.apiKeys?.length).toBeGreaterThan(0);
  });

  it('sets only variables that the gateway, its config file or the healthcheck read', () => {
    const [, replica] = replicas[0]!;
    const gatewayCode = sourceFiles('src').map((file) => readFileSync(join(ROOT, file), 'utf8')).join('\n');
    const configText = readText('deploy/parley.json');
    const healthcheck = readText('deploy/healthcheck.mjs');
    const unread = Object.keys(replica.environment!).filter(
      (name) => !gatewayCode.includes(`'${name}'`) && !gatewayCode.includes(`.${name}`) && !configText.includes(`\${${name}}`) && !healthcheck.includes(name),
    );
    expect(unread).toEqual([]);
    // And the names the issue promises operators are the ones the gateway reads.
    expect(Object.keys(replica.environment!)).toEqual(expect.arrayContaining(['PARLEY_CONFIG', 'PARLEY_REDIS_URL']));
  });

  it('points every replica at the Redis service', () => {
    expect(services.redis?.image).toMatch(/^redis:/);
    expect(services.redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    for (const [, replica] of replicas) {
      expect(replica.environment?.PARLEY_REDIS_URL).toBe('redis://redis:6379');
      expect(replica.depends_on?.redis?.condition).toBe('service_healthy');
    }
  });

  it('balances over every replica on the port the config listens on, once they are healthy', () => {
    const lb = services.lb!;
    const conf = mounted(lb, '/etc/nginx/conf.d/default.conf');
    expect(conf).toBe('deploy/nginx.conf');
    const upstreams = [...readText(conf).matchAll(/^\s*server\s+([\w.-]+):(\d+)\b/gm)].map(([, host, port]) => `${host}:${port}`);
    expect(upstreams).toEqual(replicas.map(([name]) => `${name}:${configPort}`));
    expect(Object.keys(lb.depends_on ?? {})).toEqual(replicas.map(([name]) => name));
    for (const dependency of Object.values(lb.depends_on ?? {})) expect(dependency.condition).toBe('service_healthy');
  });

  it('names in example.env every secret the replicas take from .env', () => {
    const [, replica] = replicas[0]!;
    const fromDotEnv = Object.values(replica.environment!)
      .map((value) => /^\$\{(\w+)/.exec(value)?.[1])
      .filter((name) => name !== undefined);
    const listed = [...readText('deploy/example.env').matchAll(/^(\w+)=/gm)].map(([, name]) => name);
    expect(listed.sort()).toEqual(fromDotEnv.sort());
  });
});

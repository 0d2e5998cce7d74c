import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix } from 'node:path';
import { createInterface } from 'node:readline';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execForm, instructionsOf, readDockerfile } from './dockerfile.js';
import { packageJson, readText, ROOT } from './paths.js';

/** The Dockerfile against package.json and what `npm run build` emits (Docker itself cannot run here). */

const stages = readDockerfile(readText('Dockerfile'));
const runtime = stages.at(-1)!;
const build = stages[0]!;
const workdir = instructionsOf(runtime, 'WORKDIR').at(-1) ?? '/';

/** A path inside the image as the same path in this checkout (the image's WORKDIR is the repository root). */
function inRepo(imagePath: string): string {
  return posix.relative(workdir, posix.resolve(workdir, imagePath));
}

function healthcheckCommand(): string[] {
  const [healthcheck] = instructionsOf(runtime, 'HEALTHCHECK');
  const command = /\bCMD\s+(\[.*\])$/.exec(healthcheck ?? '');
  if (!command) throw new Error(`no exec-form HEALTHCHECK CMD in the final stage: ${healthcheck}`);
  return execForm(command[1]!);
}

// Compiled with the build's own tsconfig into a scratch folder inside the checkout, so that the
// output resolves node_modules as dist/ does, and a benchmark running from dist/ is left alone.
let scratch: string;
let outDir: string;
beforeAll(() => {
  mkdirSync(join(ROOT, '.scratch'), { recursive: true });
  scratch = mkdtempSync(join(ROOT, '.scratch', 'deploy-'));
  outDir = join(scratch, 'dist');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: ROOT });
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A built-output path (`dist/...`) in the scratch build. */
function built(path: string): string {
  expect(path.startsWith('dist/'), `${path} is in dist/`).toBe(true);
  return join(outDir, path.slice('dist/'.length));
}

describe('the Dockerfile', () => {
  it('builds on Node 24 LTS slim in one stage and runs on it from another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toMatch(/^node:24(\.\d+)*-(\w+-)?slim$/);
    expect(instructionsOf(build, 'RUN')).toContain('npm ci --no-audit --no-fund');
    expect(instructionsOf(build, 'RUN')).toContain('npm run build');
    // What `npm run build` (scripts/build.mjs) reads is in the build stage.
    expect(instructionsOf(build, 'COPY')).toEqual(expect.arrayContaining(['tsconfig.json tsconfig.build.json ./', 'scripts ./scripts', 'src ./src']));
    expect(packageJson.scripts.build).toBe('node scripts/build.mjs');
    expect(instructionsOf(runtime, 'RUN').some((run) => /^npm ci --omit=dev\b/.test(run))).toBe(true);
    // The running image holds no compiler and no TypeScript source.
    expect(instructionsOf(runtime, 'COPY').filter((copy) => /\bsrc\b/.test(copy))).toEqual([]);
    expect(instructionsOf(runtime, 'COPY')).toContain(`--from=${build.name} /app/dist ./dist`);
    expect(instructionsOf(build, 'WORKDIR')).toEqual(['/app']);
  });

  it('runs as an unprivileged user', () => {
    const users = instructionsOf(runtime, 'USER');
    expect(users.length).toBe(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    const keywords = runtime.instructions.map((instruction) => instruction.keyword);
    expect(keywords.indexOf('USER')).toBeLessThan(keywords.indexOf('CMD'));
  });

  it('starts the file that `npm start` starts, and `npm run build` emits it', () => {
    const [node, entry, ...rest] = execForm(instructionsOf(runtime, 'CMD').at(-1)!);
    expect(node).toBe('node');
    expect(rest).toEqual([]);
    expect(packageJson.scripts.start).toMatch(new RegExp(`\\bnode ${inRepo(entry!).replace(/\./g, '\\.')}$`));
    expect(existsSync(built(inRepo(entry!)))).toBe(true);
  });

  it('copies the healthcheck script to the path its HEALTHCHECK runs', () => {
    const [node, script] = healthcheckCommand();
    expect(node).toBe('node');
    expect(instructionsOf(runtime, 'COPY')).toContain(`${inRepo(script!)} ./${inRepo(script!)}`);
    expect(existsSync(join(ROOT, inRepo(script!)))).toBe(true);
  });

  it('exposes the port the example config listens on, which the healthcheck asks by default', () => {
    const config = JSON.parse(readText('deploy/parley.json')) as { port: number; metrics: { port: number } };
    expect(instructionsOf(runtime, 'EXPOSE').join(' ').split(/\s+/)).toEqual([String(config.port), String(config.metrics.port)]);
    expect(readText(inRepo(healthcheckCommand()[1]!))).toContain(`'http://127.0.0.1:${config.port}/health'`);
  });
});

describe('the built output', () => {
  it('imports only packages a production install (npm ci --omit=dev) has', () => {
    const files = readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    const imported = new Set<string>();
    for (const file of files) {
      const text = readFileSync(join(outDir, file), 'utf8');
      // TypeScript's own scanner: static, dynamic and re-export specifiers, never text inside strings.
      for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
        if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
        const parts = specifier.split('/');
        imported.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
      }
    }
    // The sandbox (no PARLEY_CONFIG) and the server's own dependencies are both in here.
    expect(imported).toContain('graphql-yoga');
    expect(imported).toContain('@faker-js/faker');
    const missing = [...imported].filter((name) => !Object.hasOwn(packageJson.dependencies, name)).sort();
    expect(missing).toEqual([]);
  });

  describe('started as the image starts it', () => {
    let server: ChildProcess | undefined;
    afterAll(() => {
      server?.kill('SIGTERM');
    });

    function runHealthcheck(url: string): number | null {
      const [node, script] = healthcheckCommand();
      expect(node).toBe('node');
      try {
        execFileSync(process.execPath, [join(ROOT, inRepo(script!))], { env: { ...process.env, HEALTHCHECK_URL: url }, stdio: 'ignore' });
        return 0;
      } catch (error) {
        return (error as { status: number | null }).status;
      }
    }

    it('answers the HEALTHCHECK and a query while it runs, and fails the HEALTHCHECK once stopped', async () => {
      const configPath = join(scratch, 'config.json');
      writeFileSync(
        configPath,
        JSON.stringify({
          port: 0,
          host: '127.0.0.1',
          cursorSecret: 'deploy-test-cursor-secret-0123',
          metrics: false,
          sources: [{ id: 'cq', provider: 'carrotquest', baseUrl: 'http://127.0.0.1:9', appId: '1', token: 'deploy-test-token-0123' }],
        }),
      );
      const [, entry] = execForm(instructionsOf(runtime, 'CMD').at(-1)!);
      server = spawn(process.execPath, [built(inRepo(entry!))], {
        env: { ...process.env, PARLEY_CONFIG: configPath, NODE_ENV: 'production', VITEST: '', PARLEY_LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const serving = /Parley is serving GraphQL.* at http:\/\/127\.0\.0\.1:(\d+)\/graphql/;
      let port: string | undefined;
      for await (const line of createInterface({ input: server.stdout! })) {
        port = serving.exec(line)?.[1];
        if (port) break;
      }
      // Nobody reads its log lines from here on; drain them so a full pipe never stalls it.
      server.stdout!.resume();
      expect(port).toBeDefined();
      const url = `http://127.0.0.1:${port}/health`;
      expect(runHealthcheck(url)).toBe(0);
      // Served over a real socket, on whichever Node runs this suite (CI runs it on 20 and 24).
      const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect({ status: answer.status, body: await answer.json() }).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });

      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
      server = undefined;
      expect(runHealthcheck(url)).toBe(1);
    }, 60_000);
  });
});

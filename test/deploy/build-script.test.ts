import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageJson, ROOT } from './paths.js';

/**
 * `npm start` (prestart: scripts/build.mjs --if-stale) compiles only when src/ changed, on a
 * small project laid out like this one: its own src/, tsconfigs, and this checkout's TypeScript.
 */

let project: string;
beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'parley-build-'));
  mkdirSync(join(project, 'scripts'));
  copyFileSync(join(ROOT, 'scripts/build.mjs'), join(project, 'scripts/build.mjs'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
  // The smallest standard library keeps each compile well under a second.
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', target: 'ES2023', lib: ['es5'], strict: true, noEmit: true, types: [] } }));
  writeFileSync(join(project, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: false, rootDir: 'src', outDir: 'dist' }, include: ['src'] }));
  mkdirSync(join(project, 'src'));
  writeFileSync(join(project, 'src/server.ts'), 'export const answer: number = 1;\n');
  withTypeScript(true);
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

function withTypeScript(installed: boolean): void {
  rmSync(join(project, 'node_modules'), { recursive: true, force: true });
  if (!installed) return;
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(join(ROOT, 'node_modules/typescript'), join(project, 'node_modules/typescript'), 'dir');
}

function run(...args: string[]): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [join(project, 'scripts/build.mjs'), ...args], { cwd: project, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

const entry = () => join(project, 'dist/server.js');
const output = () => readFileSync(entry(), 'utf8');
// Marks the emitted file, so that a later compile is visible: it would overwrite the mark.
const markOutput = () => writeFileSync(entry(), `${output()}// not recompiled\n`);

describe('scripts/build.mjs', () => {
  it('is what npm start and npm run build run', () => {
    expect(packageJson.scripts.build).toBe('node scripts/build.mjs');
    expect(packageJson.scripts.prestart).toBe('node scripts/build.mjs --if-stale');
  });

  it('compiles when there is no dist/ yet, and not again while src/ is unchanged', () => {
    expect(run('--if-stale').status).toBe(0);
    expect(output()).toContain('export const answer = 1;');
    markOutput();
    expect(run('--if-stale').status).toBe(0);
    expect(output()).toContain('// not recompiled');
  }, 60_000);

  it('compiles again when a source file changes, and by content, not by modification time', () => {
    expect(run().status).toBe(0);
    markOutput();
    // Touched with a later time but the same text: nothing to compile.
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(project, 'src/server.ts'), later, later);
    expect(run('--if-stale').status).toBe(0);
    expect(output()).toContain('// not recompiled');
    // Changed text with an earlier time (a copy that kept old mtimes): compiled.
    writeFileSync(join(project, 'src/server.ts'), 'export const answer: number = 2;\n');
    const earlier = new Date(Date.now() - 86_400_000);
    utimesSync(join(project, 'src/server.ts'), earlier, earlier);
    expect(run('--if-stale').status).toBe(0);
    expect(output()).toContain('export const answer = 2;');
  }, 60_000);

  it('compiles again when a new source file appears, or the tsconfig changes', () => {
    expect(run().status).toBe(0);
    writeFileSync(join(project, 'src/extra.ts'), 'export const extra = 3;\n');
    expect(run('--if-stale').status).toBe(0);
    expect(existsSync(join(project, 'dist/extra.js'))).toBe(true);
    markOutput();
    writeFileSync(join(project, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: false, rootDir: 'src', outDir: 'dist', removeComments: true }, include: ['src'] }));
    expect(run('--if-stale').status).toBe(0);
    expect(output()).not.toContain('// not recompiled');
  }, 60_000);

  it('always compiles without --if-stale (npm run build)', () => {
    expect(run().status).toBe(0);
    markOutput();
    expect(run().status).toBe(0);
    expect(output()).not.toContain('// not recompiled');
  }, 60_000);

  it('compiles again after a failed build, even with the sources back as they were built', () => {
    expect(run().status).toBe(0);
    writeFileSync(join(project, 'src/server.ts'), 'export const answer: number = "two";\n');
    expect(run('--if-stale').status).not.toBe(0);
    writeFileSync(join(project, 'src/server.ts'), 'export const answer: number = 1;\n');
    markOutput();
    expect(run('--if-stale').status).toBe(0);
    expect(output()).not.toContain('// not recompiled');
  }, 60_000);

  it('starts a production install (no TypeScript) from an up-to-date dist/, and says why it cannot from a stale one', () => {
    expect(run().status).toBe(0);
    withTypeScript(false);
    expect(run('--if-stale')).toEqual({ status: 0, stderr: '' });
    writeFileSync(join(project, 'src/server.ts'), 'export const answer: number = 2;\n');
    const stale = run('--if-stale');
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(/^BUILD_TOOL_MISSING: .*npm ci && npm run build.*npm prune --omit=dev/);
  }, 60_000);

  it('starts a dist/ shipped without src/ as it is', () => {
    expect(run().status).toBe(0);
    markOutput();
    rmSync(join(project, 'src'), { recursive: true });
    withTypeScript(false);
    expect(run('--if-stale')).toEqual({ status: 0, stderr: '' });
    expect(output()).toContain('// not recompiled');
  }, 60_000);
});

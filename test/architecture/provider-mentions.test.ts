import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROVIDER_DECLARATIONS } from '../../src/providers/catalogue.js';
import { SIMULATORS } from '../../src/sandbox/registry.js';

/**
 * Adding a provider adds its own folders and one line per registry, nothing else: outside
 * those, no code names a provider or a sandbox source id. Comments may (they explain why a
 * shared rule exists); strings and identifiers may not. Tests other than the oracle are not
 * scanned: they assert provider-specific behaviour and so must name providers.
 */

const ROOT = join(import.meta.dirname, '../..');
const SCANNED = ['src', 'bench', 'scripts', 'test/gateway/oracle'];

const names = PROVIDER_DECLARATIONS.map((provider) => provider.name);

/** Files that list every provider by design: one line each (a registry is where a provider is added). */
const REGISTRIES = [
  'src/providers/catalogue.ts',
  'src/providers/registry.ts',
  'src/sandbox/registry.ts',
  // The benchmark's baseline is hand-written per provider and imports nothing from src/.
  'bench/baseline/registry.ts',
  // The oracle reads each simulator's store its own way (never through adapter code).
  'test/gateway/oracle/index.ts',
];

/** A provider's own homes: its adapter, its simulator, its baseline source and its oracle reading. */
function isProvidersOwn(path: string): boolean {
  return names.some(
    (name) =>
      path.startsWith(`src/providers/${name}/`) ||
      path.startsWith(`src/sandbox/${name}/`) ||
      path === `bench/baseline/${name}.ts` ||
      path === `test/gateway/oracle/${name}.ts`,
  );
}

function* codeFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) yield* codeFiles(path);
    else if (/\.(ts|mts|js|mjs)$/.test(entry.name)) yield path;
  }
}

/** The code of a file without its comments (so prose explaining a shared rule is not counted). */
function withoutComments(text: string, path = 'file.ts'): string {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false);
  return ts.createPrinter({ removeComments: true }).printFile(file);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Provider names anywhere (also inside identifiers), display names, and source ids as whole strings. */
const MENTION = new RegExp(
  [
    ...names.map(escape),
    ...PROVIDER_DECLARATIONS.map((provider) => escape(provider.displayName)),
    ...SIMULATORS.map((simulator) => `['"\`]${escape(simulator.sourceId)}['"\`]`),
  ].join('|'),
  'i',
);

function mentions(paths: readonly string[]): string[] {
  const found: string[] = [];
  for (const path of paths) {
    const lines = withoutComments(readFileSync(join(ROOT, path), 'utf8'), path).split('\n');
    for (const line of lines) if (MENTION.test(line)) found.push(`${path}: ${line.trim().slice(0, 140)}`);
  }
  return found;
}

describe('where providers are named', () => {
  const files = SCANNED.flatMap((dir) => [...codeFiles(dir)]);

  it('no code outside a provider\'s own folders and the registries names a provider or a sandbox source id', () => {
    expect(mentions(files.filter((path) => !isProvidersOwn(path) && !REGISTRIES.includes(path)))).toEqual([]);
  });

  it('each registry names each provider once', () => {
    for (const registry of REGISTRIES) {
      const code = withoutComments(readFileSync(join(ROOT, registry), 'utf8'), registry);
      for (const name of names) {
        // The entry itself (`name: create`, a list item) names it once; its import line names it again.
        const entries = code.split('\n').filter((line) => new RegExp(escape(name), 'i').test(line) && !/^\s*import\b/.test(line));
        expect(entries, `${registry}: ${name}`).toHaveLength(1);
      }
    }
  });

  it('finds a mention where one is written', () => {
    // Guards the scan itself: a name in code is found, the same name in a comment is not.
    expect(MENTION.test(withoutComments(`const x = '${names[0]}';`))).toBe(true);
    expect(MENTION.test(withoutComments(`// ${names[0]}\n/* ${names[0]} */ const x = 1;`))).toBe(false);
    expect(MENTION.test(withoutComments(`const id = "${SIMULATORS[0].sourceId}";`))).toBe(true);
  });
});

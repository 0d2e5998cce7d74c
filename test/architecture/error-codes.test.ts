import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { GraphQLError } from 'graphql';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, ErrorCode } from '../../src/errors/codes.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');
const CATALOGUE_FILE = join(SRC, 'errors', 'codes.ts');
// Simulators answer in the providers' own error bodies, not in Parley's codes.
const SANDBOX = join(SRC, 'sandbox') + sep;

const ALL_CODES = new Set(Object.keys(ERROR_CATALOGUE));
const CLIENT_CODES = Object.entries(ERROR_CATALOGUE)
  .filter(([, entry]) => entry.seenBy === 'client')
  .map(([code]) => code);

/** The codes the README's Errors bullet lists, one per sub-item, in the README's order. */
function readmeErrorCodes(): string[] {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith('- **Errors**'));
  if (start < 0) throw new Error('README.md has no "- **Errors**" bullet');
  const codes: string[] = [];
  for (const line of lines.slice(start + 1)) {
    // The bullet ends at the next top-level bullet, heading or blank line.
    if (!line.startsWith('  ')) break;
    const item = /^ {2}- `([A-Z][A-Z0-9_]*)`/.exec(line);
    if (item) codes.push(item[1]!);
  }
  return codes;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return (path + sep).startsWith(SANDBOX) ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every string literal (quoted or a template without substitutions) whose whole text is a catalogue code. */
function codeLiterals(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && ALL_CODES.has(node.text)) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push(`${relative(ROOT, path)}:${line} ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the error-code catalogue', () => {
  it('lists exactly the codes the README documents for clients', () => {
    const documented = readmeErrorCodes();
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual([...CLIENT_CODES].sort());
  });

  it('is the only file in src/ (simulators aside) that spells a code as a string', () => {
    const files = sourceFiles(SRC).filter((path) => path !== CATALOGUE_FILE);
    // Guards against a walk that silently finds nothing.
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(codeLiterals)).toEqual([]);
  });

  it('names each code by itself, so `ErrorCode.X` is what reaches a client', () => {
    expect(ErrorCode.SOURCE_RATE_LIMITED).toBe('SOURCE_RATE_LIMITED');
    expect(Object.keys(ErrorCode).sort()).toEqual([...ALL_CODES].sort());
  });

  it('makes a misspelt code in GraphQL error extensions a type error', () => {
    // `npm run check` type-checks this file: without the typed extensions the directive below is unused and fails.
    // @ts-expect-error 'SOURCE_UNAVAILBLE' is not a catalogue code
    const error = new GraphQLError('misspelt', { extensions: { code: 'SOURCE_UNAVAILBLE' } });
    expect(error.extensions.code).toBe('SOURCE_UNAVAILBLE');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// A runtime file past this many lines, or a function past this many, is doing more than one job.
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;

/**
 * Files known to be over and due to be split by work under way elsewhere. Each entry must
 * still be over the limit (a test below fails once it is not), so the list only shrinks.
 */
const PENDING_SPLIT: ReadonlySet<string> = new Set<string>([]);

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

function runtimeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return runtimeFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function lineCount(text: string): number {
  return text.replace(/\n$/, '').split('\n').length;
}

/** Every function-like node in `text` with its span in lines (first to last line, inclusive). */
function functionSpans(fileName: string, text: string): { name: string; line: number; lines: number }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const spans: { name: string; line: number; lines: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      spans.push({ name: nameOf(node), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return spans;
}

function nameOf(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '(anonymous)';
}

function sizes(files: { path: string; text: string }[]): { longFiles: string[]; longFunctions: string[] } {
  const longFiles: string[] = [];
  const longFunctions: string[] = [];
  for (const { path, text } of files) {
    const lines = lineCount(text);
    if (lines > MAX_FILE_LINES) longFiles.push(`${path}: ${lines} lines`);
    for (const span of functionSpans(path, text)) {
      if (span.lines > MAX_FUNCTION_LINES) longFunctions.push(`${path}:${span.line} ${span.name}: ${span.lines} lines`);
    }
  }
  return { longFiles, longFunctions };
}

describe('module size', () => {
  const files = runtimeFiles(SRC).map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

  it('finds the runtime files it measures', () => {
    expect(files.map((f) => f.path)).toContain(join('src', 'server.ts'));
  });

  const measured = sizes(files);
  const isPending = (report: string) => PENDING_SPLIT.has(report.slice(0, report.indexOf(':')));

  it(`keeps every runtime file in src/ within ${MAX_FILE_LINES} lines`, () => {
    expect(measured.longFiles.filter((report) => !isPending(report))).toEqual([]);
  });

  it('lists as pending only files that are still over the limit', () => {
    expect(measured.longFiles.filter(isPending)).toHaveLength(PENDING_SPLIT.size);
  });

  it(`keeps every function in src/ within ${MAX_FUNCTION_LINES} lines`, () => {
    expect(measured.longFunctions).toEqual([]);
  });

  it('measures what it claims: a long file, a long arrow function and a long method are each reported', () => {
    const body = Array.from({ length: MAX_FUNCTION_LINES }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const arrow = `export const makeThing = () => {\n${body}\n};\n`;
    const method = `export class Thing {\n  run(): void {\n${body}\n  }\n}\n`;
    const short = `export function small() {\n  return 1;\n}\n`;
    const long = Array.from({ length: MAX_FILE_LINES + 1 }, (_, i) => `export const c${i} = ${i};`).join('\n');
    const found = sizes([
      { path: 'arrow.ts', text: arrow },
      { path: 'method.ts', text: method },
      { path: 'short.ts', text: short },
      { path: 'long.ts', text: long },
    ]);
    expect(found.longFunctions).toEqual([
      `arrow.ts:1 makeThing: ${MAX_FUNCTION_LINES + 2} lines`,
      `method.ts:2 run: ${MAX_FUNCTION_LINES + 2} lines`,
    ]);
    expect(found.longFiles).toEqual([`long.ts: ${MAX_FILE_LINES + 1} lines`]);
  });
});

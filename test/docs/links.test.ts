import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Everything a user or contributor reads must resolve inside a clone: every relative
 * markdown link, and every backticked path that names a file of this repository.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function markdownUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return markdownUnder(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

const pages = [
  ...['README.md', 'CONTRIBUTING.md'].map((name) => join(root, name)).filter((path) => existsSync(path)),
  ...markdownUnder(join(root, 'docs')),
  ...markdownUnder(join(root, 'examples')),
].map((path) => relative(root, path));

/** Top-level folders whose paths the docs name from the repository root; build output (dist/) is not one. */
const ROOT_FOLDERS = ['src', 'test', 'docs', 'bench', 'scripts', 'examples', 'deploy', '.ci'];

/** `[text](target)` and `[label]: target`, without titles or angle brackets. */
function linkTargets(markdown: string): string[] {
  const inline = [...markdown.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const reference = [...markdown.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((m) => m[1]!);
  return [...inline, ...reference];
}

/**
 * Code spans that are paths of this repository: relative to the page when they start with
 * `./` or `../`, else from the root when they start with one of its folders or are a bare
 * `*.md` name. Spans with placeholders, and lines citing another repository's files, are not.
 */
function pathSpans(markdown: string): Array<{ span: string; fromRoot: boolean }> {
  const found: Array<{ span: string; fromRoot: boolean }> = [];
  for (const line of markdown.split('\n')) {
    // A link's own target is checked as a link; its text may name the file in another form.
    const bare = line.replace(/\[[^\]]*\]\([^)]*\)/g, '');
    if (/github\.com\//.test(bare)) continue;
    for (const match of bare.matchAll(/`([^`\s]+)`/g)) {
      const span = match[1]!;
      if (/[<>{}*…$]/.test(span) || /^[a-z][a-z0-9+.-]*:/i.test(span)) continue;
      if (span.startsWith('./') || span.startsWith('../')) found.push({ span, fromRoot: false });
      else if (ROOT_FOLDERS.some((folder) => span.startsWith(`${folder}/`))) found.push({ span, fromRoot: true });
      else if (/^[\w.-]+\.md$/.test(span)) found.push({ span, fromRoot: false });
    }
  }
  return found;
}

function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#');
}

function problemOf(target: string, base: string): string | null {
  const path = resolve(base, decodeURI(target.split('#')[0]!));
  const inside = relative(root, path);
  if (inside === '..' || inside.startsWith(`..${sep}`)) return `${target}: outside the repository`;
  if (!existsSync(path)) return `${target}: no such file`;
  return null;
}

describe('links in README, CONTRIBUTING, docs/ and examples/', () => {
  it('finds the pages', () => {
    expect(pages).toContain('README.md');
    expect(pages).toContain(join('docs', 'provider-assumptions.md'));
  });

  it.each(pages)('%s links only to files inside the repository', (page) => {
    const file = join(root, page);
    const text = readFileSync(file, 'utf8');
    const problems: string[] = [];
    for (const target of linkTargets(text)) {
      if (isExternal(target)) continue;
      const problem = problemOf(target, dirname(file));
      if (problem) problems.push(problem);
    }
    for (const { span, fromRoot } of pathSpans(text)) {
      const problem = problemOf(span, fromRoot ? root : dirname(file));
      if (problem) problems.push(`\`${problem.replace(': ', '`: ')}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('the link finder', () => {
  it('sees markdown links, reference links and backticked paths', () => {
    const text = [
      'See [notes](../shared/providers.md "notes") and [web](https://example.com) and [here](#top).',
      '[ref]: docs/missing.md',
      'Written in `../shared/providers.md`, `docs/nothing-here.md`, `other.md`, `src/<name>/`, `dist/server.js` and `npm test`.',
      '| lib | https://github.com/x/y (`src/Api.php`) |',
      'See [`src/elsewhere.ts`](src/elsewhere.ts).',
    ].join('\n');
    expect(linkTargets(text)).toEqual(['../shared/providers.md', 'https://example.com', '#top', 'src/elsewhere.ts', 'docs/missing.md']);
    expect(pathSpans(text)).toEqual([
      { span: '../shared/providers.md', fromRoot: false },
      { span: 'docs/nothing-here.md', fromRoot: true },
      { span: 'other.md', fromRoot: false },
    ]);
    expect(problemOf('../shared/providers.md', root)).toMatch(/outside the repository/);
    expect(problemOf('../shared/providers.md', join(root, 'docs'))).toMatch(/no such file/);
    expect(problemOf('docs/nothing-here.md', root)).toMatch(/no such file/);
  });
});

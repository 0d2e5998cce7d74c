import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/domain/model.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const notesDir = join(root, 'docs', 'providers');
const pages = readdirSync(notesDir).filter((name) => name.endsWith('.md'));

/** Link targets of `[text](target)`, without titles; images included. */
function linkTargets(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!);
}

function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#');
}

describe('provider API notes (docs/providers)', () => {
  it('has a page for every provider, listed in the index', () => {
    const index = readFileSync(join(notesDir, 'README.md'), 'utf8');
    for (const provider of PROVIDERS) {
      expect(pages, `docs/providers/${provider}.md`).toContain(`${provider}.md`);
      expect(linkTargets(index), `index links ${provider}.md`).toContain(`${provider}.md`);
    }
  });

  it.each(pages)('%s links only to files that exist inside the repository', (page) => {
    const file = join(notesDir, page);
    const problems: string[] = [];
    for (const target of linkTargets(readFileSync(file, 'utf8'))) {
      if (isExternal(target)) continue;
      const path = resolve(dirname(file), decodeURI(target.split('#')[0]!));
      const inside = relative(root, path);
      if (inside.startsWith(`..${sep}`) || inside === '..') problems.push(`${target}: outside the repository`);
      else if (!existsSync(path)) problems.push(`${target}: no such file`);
    }
    expect(problems).toEqual([]);
  });

  it.each(PROVIDERS.map((provider) => `${provider}.md`))('%s has the eleven sections the index names', (page) => {
    const text = readFileSync(join(notesDir, page), 'utf8');
    const numbers = [...text.matchAll(/^## (\d+)\. /gm)].map((match) => Number(match[1]));
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(text).toMatch(/^## 10\. Writes and live events/m);
  });
});

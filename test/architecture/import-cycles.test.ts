import { join } from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

/**
 * Layers point one way: no module of src/ reaches itself through its imports, type-only
 * imports included (a type circle is the same tangle, only deferred to the next change).
 */

const ROOT = join(import.meta.dirname, '../..');

async function graphOf(dir: string) {
  return madge(dir, { baseDir: ROOT, fileExtensions: ['ts'], tsConfig: join(ROOT, 'tsconfig.json') });
}

describe('imports', () => {
  it('form no circle in src/', async () => {
    const graph = await graphOf(join(ROOT, 'src'));
    // The `.js` specifiers of ESM TypeScript resolve to the `.ts` files: the graph is the real one.
    expect(graph.obj()['src/config/schema.ts']).toContain('src/providers/catalogue.ts');
    expect(graph.circular()).toEqual([]);
  });

  it('a circle, even through a type-only import, is found', async () => {
    const graph = await graphOf(join(import.meta.dirname, 'fixtures/circle'));
    expect(graph.circular()).toEqual([['test/architecture/fixtures/circle/first.ts', 'test/architecture/fixtures/circle/second.ts']]);
  });
});

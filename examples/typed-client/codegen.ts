import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preset } from '@graphql-codegen/client-preset';
import { codegen } from '@graphql-codegen/core';
import { getCachedDocumentNodeFromSchema, type Types } from '@graphql-codegen/plugin-helpers';
import { gqlPluckFromCodeString } from '@graphql-tools/graphql-tag-pluck';
import { buildSchema, lexicographicSortSchema, parse } from 'graphql';

/**
 * Generates `src/gql/` from the gateway's printed schema and the `graphql(...)` documents in `src/`.
 * Run from the repository root after changing a query or the schema:
 * `node --import tsx examples/typed-client/codegen.ts`.
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const sourceDir = join(here, 'src');
const outputDir = join(sourceDir, 'gql');

export interface GeneratedFile {
  /** Relative to the repository root. */
  path: string;
  content: string;
}

/** The files `src/gql/` should hold for the current schema and documents; writes nothing. */
export async function generateTypedClient(): Promise<GeneratedFile[]> {
  // Sorted, so the generated types read alphabetically whatever order the schema prints in.
  const schemaAst = lexicographicSortSchema(buildSchema(readFileSync(join(root, 'schema.graphql'), 'utf8')));
  const documents = await loadDocuments();
  // NodeNext ESM: relative imports need their extension.
  const importExtension = '.js';
  // Plain strings with their types attached: any fetch can send them, no GraphQL runtime needed.
  const config = {
    importExtension,
    documentMode: 'string',
    useTypeImports: true,
    enumsAsTypes: true,
    scalars: { DateTime: 'string', JSON: 'unknown' },
  };
  const outputs = await preset.buildGeneratesSection({
    baseOutputDir: `${relative(root, outputDir)}/`,
    presetConfig: { fragmentMasking: false },
    plugins: [],
    pluginMap: {},
    schema: getCachedDocumentNodeFromSchema(schemaAst),
    schemaAst,
    documents,
    config,
  });
  return Promise.all(
    outputs.map(async (output) => ({
      path: output.filename,
      content: await codegen({ ...output, importExtension }),
    })),
  );
}

/** Every `graphql(...)` document in `src/`, in file order, as the client preset expects them. */
async function loadDocuments(): Promise<Types.DocumentFile[]> {
  const files = readdirSync(sourceDir, { recursive: true, encoding: 'utf8' })
    .map((file) => join(sourceDir, file))
    .filter((file) => file.endsWith('.ts') && !file.startsWith(`${outputDir}/`))
    .sort();
  const documents: Types.DocumentFile[] = [];
  for (const file of files) {
    // Kept as written (not dedented): the text is the key `graphql()` is typed by.
    const sources = await gqlPluckFromCodeString(file, readFileSync(file, 'utf8'), { skipIndent: true });
    for (const source of sources) documents.push({ location: file, rawSDL: source.body, document: parse(source) });
  }
  return documents;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const file of await generateTypedClient()) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    console.log(`wrote ${file.path}`);
  }
}

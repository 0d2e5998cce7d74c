import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Generates `src/gql/` from the gateway's printed schema and the documents in `src/`.
 * Run from the repository root: `npx graphql-codegen --config examples/typed-client/codegen.ts`.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/typed-client/src/**/*.ts', '!examples/typed-client/src/gql/**'],
  // NodeNext ESM: relative imports need their extension.
  importExtension: '.js',
  generates: {
    'examples/typed-client/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      // Plain strings with their types attached: any fetch can send them, no GraphQL runtime needed.
      config: { documentMode: 'string', useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown' } },
    },
  },
};

export default config;

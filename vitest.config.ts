import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One graphql instance for our code and for yoga/pothos: two copies (ESM + CJS)
    // break `instanceof GraphQLError`, and coded errors would be masked.
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The JSON report is what .ci/run reads to print the pass/fail count.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/report.json' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});

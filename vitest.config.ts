import { defineConfig } from 'vitest/config';

/**
 * Files that take longest (measured with `vitest run --reporter=json`): property walks, fuzzing,
 * a real browser, slow-reader timeouts, spawned servers, replica processes and TypeScript
 * compiles. `npm run test:fast` leaves them out and lets test files share loaded modules
 * (`--no-isolate`, most of its speed); `npm test` and CI run everything, each file isolated.
 */
const SLOW_FILES = [
  'test/security/fuzz.test.ts',
  'test/browser/**/*.test.ts',
  'test/gateway/under-change.test.ts',
  'test/gateway/tie-order.test.ts',
  'test/resilience/fault-matrix.test.ts',
  'test/resilience/process-health.test.ts',
  'test/front/start-up.test.ts',
  'test/front/slow-body.test.ts',
  'test/front/graphql-slow-readers.test.ts',
  'test/front/graphiql-slow-readers.test.ts',
  'test/replicas/**/*.test.ts',
  'test/**/*replica*.test.ts',
  'test/deploy/image.test.ts',
  'test/deploy/build-script.test.ts',
];

export default defineConfig({
  resolve: {
    // One graphql instance for our code and for yoga/pothos: two copies (ESM + CJS)
    // break `instanceof GraphQLError`, and coded errors would be masked.
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    // The JSON report is what .ci/run reads to print the pass/fail count.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/report.json' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two halves of one suite: `vitest run` runs both, `vitest run --project fast` the first.
    // Each names its own `include`: a project's lists add to the root's rather than replace them.
    // The fast files first, two at a time (most of their time is loading modules, which a
    // second worker overlaps); then the slow ones one at a time, since their timing-bound
    // checks (replica processes, slow readers, property walks) must not share the CPU.
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: SLOW_FILES, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'slow', include: SLOW_FILES, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});

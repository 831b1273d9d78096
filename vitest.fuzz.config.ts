/**
 * `npm run test:fuzz`, the nightly hardening run (issue 11, docs/RELIABILITY.md): the ingress fuzz tests with
 * 10 000 cases per route in process and 1 000 over HTTP, each run with new random cases (fast-check prints the
 * seed of a failure; replay it with FUZZ_SEED), plus the slow crash-safety case. Override the counts with
 * FUZZ_RUNS / HTTP_FUZZ_RUNS.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/integration/fuzz-*.test.ts', 'test/e2e/crash-safety.test.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      FUZZ_RUNS: process.env['FUZZ_RUNS'] ?? '10000',
      HTTP_FUZZ_RUNS: process.env['HTTP_FUZZ_RUNS'] ?? '1000',
      HIKESHI_TEST_SLOW: '1',
    },
  },
});

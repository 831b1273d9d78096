import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration tests start servers on ephemeral loopback ports; forks keep native modules (LevelDB) isolated.
    pool: 'forks',
    // Most files wait on sockets, child processes and timers rather than on the CPU, so two files a core keep
    // the cores busy: on the 2-core CI machine the suite takes about 250 s instead of about 440 s, with the same
    // cases (a run with one file a core left half of each core idle).
    maxWorkers: availableParallelism() * 2,
    // The SDK warns that releases after January 2027 need Node 22; these machines run Node 20 on purpose.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration tests start servers on ephemeral loopback ports; forks keep native modules (LevelDB) isolated.
    pool: 'forks',
    // The SDK warns that releases after January 2027 need Node 22; these machines run Node 20 on purpose.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});

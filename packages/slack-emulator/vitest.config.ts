import { defineConfig } from 'vitest/config';

// The package's own run (`npm test` here); Hikeshi's root config runs these files too, in its one `npm test`.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    maxConcurrency: 4,
    testTimeout: 60_000,
  },
});

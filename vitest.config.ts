import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that spend their time waiting on other programs (a headless browser; npm pack and
 * install, and building the single executable): `npm test` (scripts/test.mjs) runs them in a
 * vitest of their own, at the same time as the rest, instead of after it on vitest's one worker
 * (two cores: vitest takes one fewer worker than cores).
 */
export const SLOW = ['test/html-card.test.ts', 'test/summary-html.test.ts', 'test/package.test.ts', 'test/sql.test.ts'];

export default defineConfig({
  test: {
    maxConcurrency: 4,
    testTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...SLOW] } },
      { extends: true, test: { name: 'slow', include: SLOW } },
    ],
  },
});

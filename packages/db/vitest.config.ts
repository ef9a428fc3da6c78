import { defineConfig } from 'vitest/config';
import { databaseProjects } from './src/testing/vitest-projects.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test creates its own database; under CI's full parallel run (every package's suites
    // and the browser tests at once on two cores) a first query has taken several seconds.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: databaseProjects({
      engineIndependent: ['test/url.test.ts', 'test/migrations.test.ts', 'test/entry-points.test.ts'],
    }),
  },
});

import { defineConfig } from 'vitest/config';
// By path: vitest loads its config with Node, which cannot import a workspace package's TypeScript.
import { databaseProjects } from '../../packages/db/src/testing/vitest-projects.ts';

export default defineConfig({
  // The scenario starts the API as a child process several times; on a busy 2-core machine each
  // start alone can take seconds.
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 30_000,
    projects: databaseProjects({ engineIndependent: ['test/mirror-comparison.test.ts'] }),
  },
});

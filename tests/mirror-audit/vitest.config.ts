import { defineConfig } from 'vitest/config';
// By path: vitest loads its config with Node, which cannot import a workspace package's TypeScript.
import { databaseProjects } from '../../packages/db/src/testing/vitest-projects.ts';

export default defineConfig({
  // Each test runs the audit as its own process several times and drives thousands of users
  // through the stand-in's rate limit: minutes on a busy 2-core machine, not seconds. Every suite
  // runs on SQLite and on PostgreSQL but the forged tokens' one, which is about Clerk's budget, not the engine.
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    projects: databaseProjects({ engineIndependent: ['test/forged-tokens.test.ts'] }),
  },
});

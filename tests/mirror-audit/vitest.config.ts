import { defineConfig } from 'vitest/config';
// By path: vitest loads its config with Node, which cannot import a workspace package's TypeScript.
import { databaseProjects } from '../../packages/db/src/testing/vitest-projects.ts';

export default defineConfig({
  // Each test runs the audit as its own process several times and drives thousands of users
  // through the stand-in's rate limit: minutes on a busy 2-core machine, not seconds. Every suite
  // runs on SQLite and on PostgreSQL but two, which are about Clerk's budget and pnpm, not the engine.
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    projects: databaseProjects({ engineIndependent: ['test/exit-status.test.ts', 'test/forged-tokens.test.ts'] }),
  },
});

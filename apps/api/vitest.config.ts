import { defineConfig } from 'vitest/config';
// By path: vitest loads its config with Node, which cannot import a workspace package's TypeScript.
import { databaseProjects } from '../../packages/db/src/testing/vitest-projects.ts';

export default defineConfig({
  // Several tests start the API as a child process; on a busy 2-core machine that alone can take
  // seconds, so the default 5 s would fail slow machines rather than wrong code.
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['./testing/api-bundle.global-setup.ts'],
    // Suites that never reach the database engine run once; the rest on SQLite and on PostgreSQL.
    projects: databaseProjects({
      engineIndependent: [
        'test/auth-session-tokens.test.ts',
        'test/config.test.ts',
        'test/mirror-writer-boundary.test.ts',
        'test/process-lifecycle.test.ts',
        'test/security-headers.test.ts',
        'test/session-verifier.test.ts',
        'test/token-attacks.test.ts',
        'test/trpc-query-fast-path.test.ts',
      ],
    }),
  },
});

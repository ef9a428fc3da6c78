import { fileURLToPath } from 'node:url';
import { TEST_DIALECT_VARIABLE } from './dialect.ts';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export interface DatabaseProjectsOptions {
  /** Test files (globs) that do not depend on the engine: they run once, in the SQLite project. */
  engineIndependent?: string[];
}

/**
 * Vitest projects that run a package's suites once on SQLite and once on a real PostgreSQL
 * server that the run starts itself. `*.sqlite.test.ts` files run only in the first,
 * `*.postgres.test.ts` only in the second: tests of one engine's own machinery (pragmas, a plain
 * better-sqlite3 handle, psql-like connections) rather than skipped tests.
 */
export function databaseProjects(options: DatabaseProjectsOptions = {}) {
  return [
    {
      extends: true as const,
      test: { name: 'sqlite', env: { [TEST_DIALECT_VARIABLE]: 'sqlite' }, exclude: ['**/node_modules/**', '**/*.postgres.test.ts'] },
    },
    {
      extends: true as const,
      test: {
        name: 'postgres',
        env: { [TEST_DIALECT_VARIABLE]: 'postgres' },
        exclude: ['**/node_modules/**', '**/*.sqlite.test.ts', ...(options.engineIndependent ?? [])],
        globalSetup: [here('./postgres-global-setup.ts')],
        setupFiles: [here('./postgres-test-setup.ts')],
      },
    },
  ];
}

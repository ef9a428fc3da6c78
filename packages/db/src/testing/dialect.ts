import type { Dialect } from '../database';

/** Set by the vitest projects (see vitest-projects.ts): which engine this test run is for. */
export const TEST_DIALECT_VARIABLE = 'EXPECTATIONS_TEST_DIALECT';
/** Set by the PostgreSQL project's setup file: the throwaway server this run started. */
export const TEST_POSTGRES_URL_VARIABLE = 'EXPECTATIONS_TEST_POSTGRES_URL';

/** The engine the tests of this run use (SQLite unless the run is the PostgreSQL project). */
export function testDialect(): Dialect {
  const value = process.env[TEST_DIALECT_VARIABLE] ?? 'sqlite';
  if (value !== 'sqlite' && value !== 'postgres') throw new Error(`${TEST_DIALECT_VARIABLE} must be sqlite or postgres, not ${value}`);
  return value;
}

/** The maintenance URL of the run's PostgreSQL server. */
export function testPostgresServerUrl(): string {
  const url = process.env[TEST_POSTGRES_URL_VARIABLE];
  if (!url) {
    throw new Error(
      `${TEST_POSTGRES_URL_VARIABLE} is not set: PostgreSQL tests run in the vitest project "postgres", whose global setup starts a server`,
    );
  }
  return url;
}

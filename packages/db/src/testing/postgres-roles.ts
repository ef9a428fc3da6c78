import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testPostgresServerUrl } from './dialect';

/**
 * A fresh database set up as docs/operations.md ("Two roles") tells an operator to: an owner role
 * that owns the database (MIRROR_WRITER_DATABASE_URL) and an app role that merely logs in
 * (DATABASE_URL), both LOGIN and neither a superuser. The roles are named after the database, so
 * that a test which misconfigures one (role membership is server-wide) touches no other test.
 */
export interface TwoRoleDatabase {
  /** MIRROR_WRITER_DATABASE_URL: logs in as the owner role. */
  readonly ownerUrl: string;
  /** DATABASE_URL: logs in as the app role. */
  readonly appUrl: string;
  readonly ownerRole: string;
  readonly appRole: string;
  /** Runs statements in this database as the server's superuser: to misconfigure the roles on purpose. */
  asSuperuser(statements: string): Promise<void>;
  /**
   * Runs statements one after the other in one plain session of the app role, as psql with
   * DATABASE_URL would, and returns the last one's rows; the first that fails rejects.
   */
  asAppRole(statements: string[]): Promise<Array<Record<string, unknown>>>;
  /** Drops the database and both roles. */
  destroy(): Promise<void>;
}

export async function createTwoRoleDatabase(options: { /** Default: the run's own server (tests). */ postgresServerUrl?: string } = {}): Promise<TwoRoleDatabase> {
  const serverUrl = options.postgresServerUrl ?? testPostgresServerUrl();
  const name = `test_${randomBytes(8).toString('hex')}`;
  const ownerRole = `${name}_owner`;
  const appRole = `${name}_app`;
  // The test server trusts local connections, so the passwords are never checked; they are set
  // as an operator would set them, and keep the URLs in the shape production uses.
  await run(serverUrl, [
    `CREATE ROLE ${ownerRole} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'owner-password'`,
    `CREATE ROLE ${appRole} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'app-password'`,
    `CREATE DATABASE ${name} OWNER ${ownerRole}`,
  ]);
  const urlFor = (role: string, password: string | undefined) => {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    url.username = role;
    url.password = password ?? '';
    return url.toString();
  };
  return {
    ownerUrl: urlFor(ownerRole, 'owner-password'),
    appUrl: urlFor(appRole, 'app-password'),
    ownerRole,
    appRole,
    asSuperuser: async (statements) => {
      await run(urlFor(new URL(serverUrl).username, undefined), [statements]);
    },
    asAppRole: (statements) => run(urlFor(appRole, 'app-password'), statements),
    destroy: async () => {
      // FORCE: a test that failed half-way may have left connections open. Roles are server-wide:
      // dropped once their database, and every grant to them in it, is gone.
      await run(serverUrl, [`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, `DROP ROLE IF EXISTS ${appRole}`, `DROP ROLE IF EXISTS ${ownerRole}`]);
    },
  };
}

async function run(url: string, statements: string[]): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    let rows: Array<Record<string, unknown>> = [];
    for (const statement of statements) rows = (await client.query(statement)).rows;
    return rows;
  } finally {
    await client.end();
  }
}

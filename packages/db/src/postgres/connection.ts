import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Database } from '../database';
import { register, type PostgresOrm } from '../internals';
import { migrationsFolder } from '../migrations-folder';
import { DatabaseUrlError, describePostgresUrl } from '../url';
import { checkMirrorWriterOwnsSchema, checkQueriesRoleCannotWriteMirror, grantQueriesRole } from './privileges';
import { ADVISORY_LOCK_CLASS, DatabaseConnectionError, DatabasePrivilegeError, DEFAULT_POOL_SIZE, type PostgresConnectionRole } from './settings';
import * as schema from './schema/index';

export interface OpenPostgresOptions {
  /** Apply committed migrations before returning (default true); with `mirrorWriterUrl`, and the grants. */
  migrate?: boolean;
  /** Where the migrations folders are, when not beside this package (a bundled build). */
  migrationsRoot?: string;
  /** Connections this process keeps at most, in each pool (default 10). */
  poolSize?: number;
  /** Told when an idle pooled connection fails (the server restarted, a network cut); the pool replaces it. */
  onConnectionError?: (error: Error) => void;
  /**
   * MIRROR_WRITER_DATABASE_URL: a second role, which owns the schema and alone writes the mirror;
   * the first URL's role then gets only SELECT on mirrored tables (see privileges.ts). Without it
   * one role does both, and only the triggers of migrations/postgres/0001 guard `users`.
   */
  mirrorWriterUrl?: string;
}

/**
 * Opens a pool on the PostgreSQL database `url` names (and one on `mirrorWriterUrl`'s, when
 * given), checks that the server answers, and migrates under an advisory lock: replicas starting
 * together wait for each other, and the second finds nothing left to do. With two roles it
 * migrates as the mirror writer's, grants the queries' role what it needs, and refuses to open
 * (DatabasePrivilegeError) when the queries' role could still write a mirrored table.
 */
export async function openPostgres(url: string, options: OpenPostgresOptions = {}): Promise<Database> {
  const where = describePostgresUrl(url);
  const pool = createPool(url, options);
  const writerPool = options.mirrorWriterUrl === undefined ? pool : createPool(options.mirrorWriterUrl, options);
  const pools = writerPool === pool ? [pool] : [pool, writerPool];
  const migrate = options.migrate ?? true;

  try {
    const client = await connect(pool, where, 'queries');
    try {
      if (writerPool === pool) {
        if (migrate) await withMigrationLock(client, () => migrateSchema(client, options));
      } else {
        await prepareTwoRoles(client, writerPool, { where, writerWhere: describePostgresUrl(options.mirrorWriterUrl!), migrate, options });
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await Promise.all(pools.map((each) => each.end()));
    throw error;
  }

  const orm = drizzle(pool, { schema }) as PostgresOrm;
  let closing: Promise<void> | undefined;
  const db: Database = Object.freeze({
    dialect: 'postgres' as const,
    location: where,
    ...(writerPool === pool ? {} : { mirrorWriterLocation: describePostgresUrl(options.mirrorWriterUrl!) }),
    ping: async () => {
      await Promise.all(pools.map((each) => each.query('SELECT 1')));
    },
    close: () => (closing ??= Promise.all(pools.map((each) => each.end())).then(() => undefined)),
  });
  return register(db, { dialect: 'postgres', pool, writerPool, orm });
}

/**
 * With two roles: both URLs must reach one database as two roles; the mirror writer's migrates
 * and grants under the migrations' lock, then the queries' role is checked, as itself.
 */
async function prepareTwoRoles(
  client: pg.PoolClient,
  writerPool: pg.Pool,
  { where, writerWhere, migrate, options }: { where: string; writerWhere: string; migrate: boolean; options: OpenPostgresOptions },
): Promise<void> {
  const writer = await connect(writerPool, writerWhere, 'mirrorWriter');
  try {
    const [queriesSide, writerSide] = [await identify(client), await identify(writer)];
    if (queriesSide.database !== writerSide.database) {
      throw new DatabaseUrlError(`DATABASE_URL (${where}) and MIRROR_WRITER_DATABASE_URL (${writerWhere}) reach different databases: both must name the same one`);
    }
    if (queriesSide.role === writerSide.role) {
      throw new DatabasePrivilegeError(
        `DATABASE_URL and MIRROR_WRITER_DATABASE_URL both log in as ${writerSide.role}: DATABASE_URL needs a role of its own, which the API grants only SELECT on mirrored tables (docs/operations.md, "Two roles")`,
      );
    }
    if (migrate) {
      await withMigrationLock(writer, async () => {
        await checkMirrorWriterOwnsSchema(writer);
        await migrateSchema(writer, options).catch((error: unknown) => {
          if (!isInsufficientPrivilege(error)) throw error;
          throw new DatabasePrivilegeError(
            `MIRROR_WRITER_DATABASE_URL's role ${writerSide.role} could not migrate the schema (${errorMessage(error)}): it must own the database, ` +
              `e.g. ALTER DATABASE … OWNER TO ${pg.escapeIdentifier(writerSide.role)} (docs/operations.md, "Two roles")`,
          );
        });
        await grantQueriesRole(writer, queriesSide.role);
      });
    }
    await checkQueriesRoleCannotWriteMirror(client, writerSide.role);
  } finally {
    writer.release();
  }
}

function createPool(url: string, options: OpenPostgresOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: 10_000,
    // Every read is a named prepared statement whose best plan does not depend on its values (a
    // keyset page walks an index whatever the cursor). Planning a three-table join cost more than
    // running it, and custom plans chose hash joins for deep pages: generic plans, planned once per
    // connection, made pages about 3 times faster and the oldest page as fast as the newest
    // (docs/benchmarks.md). The pool runs this before it hands a new connection out; a SET rather
    // than a startup option, which PgBouncer would refuse.
    onConnect: async (client) => {
      await client.query('SET plan_cache_mode = force_generic_plan');
    },
  });
  pool.on('error', (error) => options.onConnectionError?.(error));
  return pool;
}

async function connect(pool: pg.Pool, where: string, connection: PostgresConnectionRole): Promise<pg.PoolClient> {
  return pool.connect().catch((error: unknown) => {
    throw new DatabaseConnectionError(`could not connect to PostgreSQL at ${where}: ${error instanceof Error ? error.message : String(error)}`, connection);
  });
}

/** The role a connection logged in as, and which database on which server it reached. */
async function identify(client: pg.PoolClient): Promise<{ role: string; database: string }> {
  // The postmaster's start time tells two servers apart where database names and oids may match.
  const { rows } = await client.query<{ role: string; database: string }>(
    `SELECT current_user AS role, format('%s/%s/%s', current_database(), (SELECT oid FROM pg_database WHERE datname = current_database()), pg_postmaster_start_time()) AS database`,
  );
  return rows[0]!;
}

async function withMigrationLock(client: pg.PoolClient, work: () => Promise<void>): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1, 0)', [ADVISORY_LOCK_CLASS.migrations]);
  try {
    await work();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, 0)', [ADVISORY_LOCK_CLASS.migrations]);
  }
}

async function migrateSchema(client: pg.PoolClient, options: OpenPostgresOptions): Promise<void> {
  await migrate(drizzle(client), { migrationsFolder: migrationsFolder('postgres', options.migrationsRoot) });
}

/** drizzle wraps the driver's error ("Failed query: …"); PostgreSQL's code is on its cause. */
function isInsufficientPrivilege(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if ((cause as { code?: unknown }).code === '42501') return true;
  }
  return false;
}

function errorMessage(error: unknown): string {
  let innermost = error;
  while (innermost instanceof Error && innermost.cause instanceof Error) innermost = innermost.cause;
  return innermost instanceof Error ? innermost.message : String(innermost);
}

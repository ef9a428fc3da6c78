import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Database } from '../database';
import { register, type PostgresOrm } from '../internals';
import { migrationsFolder } from '../migrations-folder';
import { describePostgresUrl } from '../url';
import { ADVISORY_LOCK_CLASS, DatabaseConnectionError, DEFAULT_POOL_SIZE } from './settings';
import * as schema from './schema/index';

export interface OpenPostgresOptions {
  /** Apply committed migrations before returning (default true). */
  migrate?: boolean;
  /** Where the migrations folders are, when not beside this package (a bundled build). */
  migrationsRoot?: string;
  /** Connections this process keeps at most (default 10). */
  poolSize?: number;
  /** Told when an idle pooled connection fails (the server restarted, a network cut); the pool replaces it. */
  onConnectionError?: (error: Error) => void;
}

/**
 * Opens a pool on the PostgreSQL database `url` names, checks that the server answers, and
 * migrates under an advisory lock: replicas starting together wait for each other, and the
 * second finds nothing left to do.
 */
export async function openPostgres(url: string, options: OpenPostgresOptions = {}): Promise<Database> {
  const where = describePostgresUrl(url);
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
  const orm = drizzle(pool, { schema }) as PostgresOrm;

  try {
    const client = await pool.connect().catch((error: unknown) => {
      throw new DatabaseConnectionError(`could not connect to PostgreSQL at ${where}: ${error instanceof Error ? error.message : String(error)}`);
    });
    try {
      if (options.migrate ?? true) {
        await client.query('SELECT pg_advisory_lock($1, 0)', [ADVISORY_LOCK_CLASS.migrations]);
        try {
          await migrate(drizzle(client), { migrationsFolder: migrationsFolder('postgres', options.migrationsRoot) });
        } finally {
          await client.query('SELECT pg_advisory_unlock($1, 0)', [ADVISORY_LOCK_CLASS.migrations]);
        }
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const db: Database = Object.freeze({
    dialect: 'postgres' as const,
    location: where,
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: () => (closing ??= pool.end()),
  });
  return register(db, { dialect: 'postgres', pool, orm });
}

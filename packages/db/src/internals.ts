import type { Database } from './database';
import type BetterSqlite3 from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type * as postgresSchema from './postgres/schema/index';
import type * as sqliteSchema from './sqlite/schema/index';

export type SqliteOrm = BetterSQLite3Database<typeof sqliteSchema> & { $client: BetterSqlite3.Database };
export type PostgresOrm = NodePgDatabase<typeof postgresSchema> & { $client: pg.Pool };

/** What only this package reaches behind an opaque `Database` on SQLite. */
export interface SqliteInternals {
  readonly dialect: 'sqlite';
  readonly path: string;
  /** Reads and expectation writes. It cannot write `users`: see migrations/sqlite/0001. */
  readonly queries: SqliteOrm;
  /** The mirror writer's own connection, the only one that registers mirror_writer_connection(). */
  readonly writer: SqliteOrm;
}

/** What only this package reaches behind an opaque `Database` on PostgreSQL. */
export interface PostgresInternals {
  readonly dialect: 'postgres';
  /** Every query but the mirror writer's (DATABASE_URL's role). */
  readonly pool: pg.Pool;
  /**
   * The mirror writer's pool: MIRROR_WRITER_DATABASE_URL's role, which owns the schema; without
   * that URL the same object as `pool`, and the writer's transactions alone set the triggers' flag.
   */
  readonly writerPool: pg.Pool;
  readonly orm: PostgresOrm;
}

export type Internals = SqliteInternals | PostgresInternals;

// What this package reaches behind an opaque `Database`: its connections. Kept in a WeakMap
// rather than on the object, so nothing outside the package can reach them from a `Database`.
const registry = new WeakMap<Database, Internals>();

export function register<T extends Database>(db: T, internals: Internals): T {
  registry.set(db, internals);
  return db;
}

export function internalsOf(db: Database): Internals {
  const found = registry.get(db);
  if (!found) throw new TypeError('not a database opened by @expectations/db (openDatabase)');
  return found;
}

export function sqliteInternalsOf(db: Database): SqliteInternals {
  const found = internalsOf(db);
  if (found.dialect !== 'sqlite') throw new TypeError(`this needs a SQLite database, not ${found.dialect}`);
  return found;
}

/** A new opaque database object with `extras`, over the same connections (test helpers use it). */
export function extendDatabase<T extends object>(db: Database, extras: T): Database & T {
  return register(Object.freeze({ ...db, ...extras }), internalsOf(db));
}

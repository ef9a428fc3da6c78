import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index';

export type Schema = typeof schema;
export type Orm = BetterSQLite3Database<Schema>;

/** An open database: the drizzle handle for queries, the raw handle for pragmas and tests. */
export interface Database {
  readonly orm: Orm;
  readonly sqlite: BetterSqlite3.Database;
  readonly path: string;
  close(): void;
}

export interface OpenDatabaseOptions {
  /** Apply committed migrations before returning (default true). */
  migrate?: boolean;
  /** Milliseconds a writer waits for another writer's lock before SQLITE_BUSY (default 5000). */
  busyTimeoutMs?: number;
  /** Where the migrations are, when not beside this package (a bundled build copies them). */
  migrationsRoot?: string;
}

/** `packages/db/migrations/`, found from this file's place in the package. */
const packagedMigrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

/** Accepts `file:/abs/path.db`, `file:relative.db` or a plain path. */
export function sqlitePathFromUrl(url: string): string {
  const path = url.startsWith('file:') ? url.slice('file:'.length) : url;
  if (path.length === 0) throw new Error('DATABASE_URL names no file: expected a path like file:.data/app.db');
  return path === ':memory:' ? path : resolve(path);
}

export function openDatabase(url: string, options: OpenDatabaseOptions = {}): Database {
  const path = sqlitePathFromUrl(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });

  const sqlite = new BetterSqlite3(path, { timeout: options.busyTimeoutMs ?? 5000 });
  // WAL lets readers run while the webhook writes, and makes commits sequential appends.
  sqlite.pragma('journal_mode = WAL');
  // FULL, not NORMAL: in WAL mode NORMAL skips the fsync at commit, so a transaction we have
  // already acknowledged (a webhook answered 2xx) could vanish on power loss or an OS crash.
  // FULL syncs the WAL on every commit; that is what "every acknowledged write is durable" costs.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');

  const orm = drizzle(sqlite, { schema });
  if (options.migrate ?? true) migrate(orm, { migrationsFolder: options.migrationsRoot ?? packagedMigrationsFolder });

  return {
    orm,
    sqlite,
    path,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}

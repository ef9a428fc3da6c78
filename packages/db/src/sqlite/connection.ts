import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Database } from '../database';
import { register, type SqliteOrm } from '../internals';
import { migrationsFolder } from '../migrations-folder';
import * as schema from './schema/index';

export interface OpenSqliteOptions {
  /** Apply committed migrations before returning (default true). */
  migrate?: boolean;
  /** Milliseconds a writer waits for another writer's lock before SQLITE_BUSY (default 5000). */
  busyTimeoutMs?: number;
  /** Where the migrations folders are, when not beside this package (a bundled build). */
  migrationsRoot?: string;
  /** Refuse to create the database: for tools that only read an existing one (default false). */
  mustExist?: boolean;
}

function connect(path: string, busyTimeoutMs: number): SqliteOrm {
  const sqlite = new BetterSqlite3(path, { timeout: busyTimeoutMs });
  // WAL lets readers run while the webhook writes, and makes commits sequential appends.
  sqlite.pragma('journal_mode = WAL');
  // FULL, not NORMAL: in WAL mode NORMAL skips the fsync at commit, so a transaction we have
  // already acknowledged (a webhook answered 2xx) could vanish on power loss or an OS crash.
  // FULL syncs the WAL on every commit; that is what "every acknowledged write is durable" costs.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  return drizzle(sqlite, { schema }) as SqliteOrm;
}

/**
 * Opens a SQLite file with two connections: one for the queries and one for the mirror writer.
 * Both run in this one thread and better-sqlite3 is synchronous, so their transactions never
 * overlap within the process; other processes wait on the file lock for up to `busyTimeoutMs`.
 */
export function openSqlite(path: string, options: OpenSqliteOptions = {}): Database {
  if (options.mustExist && !existsSync(path)) throw new Error(`there is no database at ${path}`);
  mkdirSync(dirname(path), { recursive: true });
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;

  const queries = connect(path, busyTimeoutMs);
  if (options.migrate ?? true) {
    migrate(queries, { migrationsFolder: migrationsFolder('sqlite', options.migrationsRoot) });
  }
  const writer = connect(path, busyTimeoutMs);
  writer.$client.function('mirror_writer_connection', { deterministic: true }, () => 1);

  const close = async () => {
    for (const connection of [queries.$client, writer.$client]) if (connection.open) connection.close();
  };
  const ping = queries.$client.prepare('SELECT 1');
  const db: Database = Object.freeze({
    dialect: 'sqlite' as const,
    location: path,
    ping: async () => {
      ping.get();
    },
    close,
  });
  return register(db, { dialect: 'sqlite', path, queries, writer });
}

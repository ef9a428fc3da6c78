import type { Database } from './database';
import type { SqliteInternals } from './sqlite/connection';

// What this package reaches behind an opaque `Database`: its connections. Kept in a WeakMap
// rather than on the object, so nothing outside the package can reach them from a `Database`.
const registry = new WeakMap<Database, SqliteInternals>();

export function register<T extends Database>(db: T, internals: SqliteInternals): T {
  registry.set(db, internals);
  return db;
}

export function internalsOf(db: Database): SqliteInternals {
  const found = registry.get(db);
  if (!found) throw new TypeError('not a database opened by @expectations/db (openDatabase)');
  return found;
}

/** A new opaque database object with `extras`, over the same connections (test helpers use it). */
export function extendDatabase<T extends object>(db: Database, extras: T): Database & T {
  return register(Object.freeze({ ...db, ...extras }), internalsOf(db));
}

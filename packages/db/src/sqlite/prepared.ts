import type BetterSqlite3 from 'better-sqlite3';

// Keyed by the SQLite handle: a statement belongs to its connection.
const caches = new WeakMap<BetterSqlite3.Database, Map<string, unknown>>();

/**
 * Prepares a statement the first time it is needed on a connection and reuses it after:
 * compiling SQL costs more than running a small indexed query, so the read path pays it once.
 */
export function preparedOnce<T>(connection: BetterSqlite3.Database, key: string, prepare: () => T): T {
  let cache = caches.get(connection);
  if (!cache) {
    cache = new Map();
    caches.set(connection, cache);
  }
  let statement = cache.get(key) as T | undefined;
  if (statement === undefined) {
    statement = prepare();
    cache.set(key, statement);
  }
  return statement;
}

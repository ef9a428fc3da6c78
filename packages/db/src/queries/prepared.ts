import type { Database } from '../client';

// Keyed by the SQLite handle, not the Database object: wrappers (tests, pools) may copy the
// object while sharing one connection, and a statement belongs to its connection.
const caches = new WeakMap<Database['sqlite'], Map<string, unknown>>();

/**
 * Prepares a statement the first time it is needed on a connection and reuses it after:
 * compiling SQL costs more than running a small indexed query, so the read path pays it once.
 */
export function preparedOnce<T>(db: Database, key: string, prepare: () => T): T {
  let cache = caches.get(db.sqlite);
  if (!cache) {
    cache = new Map();
    caches.set(db.sqlite, cache);
  }
  let statement = cache.get(key) as T | undefined;
  if (statement === undefined) {
    statement = prepare();
    cache.set(key, statement);
  }
  return statement;
}

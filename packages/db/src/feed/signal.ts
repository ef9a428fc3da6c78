import type { Database } from '../database';
import { internalsOf, type Internals } from '../internals';

// Within one process, a committed append wakes the feed's reader at once, with no round trip
// through the database: on SQLite the only way (one process), on PostgreSQL the fast way for
// writes through this replica (other replicas hear LISTEN/NOTIFY, src/feed/listen.ts). Keyed by
// the connections, so every `Database` object over them (tests extend them) shares one signal.
const listeners = new WeakMap<Internals, Set<() => void>>();

/** Calls `listener` after each commit through `db`'s connections that appended to the feed; returns the unsubscribe. */
export function onFeedEventsAppended(db: Database, listener: () => void): () => void {
  const internals = internalsOf(db);
  let set = listeners.get(internals);
  if (!set) listeners.set(internals, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** Told by the queries and the mirror writer once a transaction that appended has committed. */
export function feedEventsAppended(internals: Internals): void {
  for (const listener of listeners.get(internals) ?? []) listener();
}

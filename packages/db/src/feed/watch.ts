import type { Database } from '../database';
import { internalsOf } from '../internals';
import type * as PostgresDialect from '../postgres/dialect';
import { onFeedEventsAppended } from './signal';

export interface FeedWatch {
  close(): Promise<void>;
}

/**
 * Calls `onAppended` whenever `feed_events` may have new rows: at once after a write through this
 * process commits, and on PostgreSQL also when any replica's write commits (LISTEN/NOTIFY; after a
 * lost listening connection is back, too). Calls may be folded or spurious: the reader reads
 * what is there. `onListenError` hears each loss of the listening connection.
 */
export async function watchFeedEvents(db: Database, onAppended: () => void, onListenError: (error: Error) => void = () => {}): Promise<FeedWatch> {
  const internals = internalsOf(db);
  const stopLocal = onFeedEventsAppended(db, onAppended);
  if (internals.dialect === 'sqlite') return { close: async () => stopLocal() };
  // Already loaded: a PostgreSQL database is opened through it.
  const dialect: typeof PostgresDialect = await import('../postgres/dialect');
  const listener = dialect.listenOnPostgres(internals, onAppended, onListenError);
  return {
    async close() {
      stopLocal();
      await listener.close();
    },
  };
}

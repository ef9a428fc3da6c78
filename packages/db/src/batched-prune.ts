import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SQL } from 'drizzle-orm';
import type { Database } from './database';
import { queryEngineOf } from './open';
import type { QueryEngine, Statement } from './queries/engine';

const DEFAULT_BATCH_SIZE = 500;

/**
 * A table's retention: deletes its rows older than a cutoff, oldest first, one batch per
 * statement (each its own short transaction, whatever the backlog), and answers how many it
 * deleted. It yields to the event loop between batches, so that requests are served while a large
 * backlog goes (SQLite's statements run on the process's own thread).
 *
 * `deleteBatch` builds the DELETE of one batch: at most `p('batchSize')` rows older than
 * `p('before')`, RETURNING one column per row deleted. `cutoff` names the caller's option in errors.
 */
export function batchedPrune(name: string, cutoff: string, deleteBatch: (engine: QueryEngine) => SQL) {
  const statements = new WeakMap<QueryEngine, Statement>();
  return async function prune(db: Database, before: number, batchSize = DEFAULT_BATCH_SIZE): Promise<number> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`);
    if (!Number.isFinite(before)) throw new RangeError(`${cutoff} must be epoch milliseconds, not ${before}`);
    const engine = queryEngineOf(db);
    let statement = statements.get(engine);
    if (!statement) statements.set(engine, (statement = engine.compile(name, deleteBatch(engine))));
    let pruned = 0;
    for (;;) {
      const deleted = (await engine.rows(statement, { before, batchSize })).length;
      pruned += deleted;
      if (deleted < batchSize) return pruned;
      await nextTurn();
    }
  };
}

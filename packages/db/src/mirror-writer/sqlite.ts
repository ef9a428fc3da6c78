import { sql } from 'drizzle-orm';
import { feedEventsAppended } from '../feed/signal';
import type { SqliteInternals } from '../internals';
import { run } from '../queries/engine';
import { sqliteEngine } from '../sqlite/engine';
import type { WebhookDelivery } from './clerk-event';
import { applyDelivery, writerStatements, type WriterGuard } from './apply';
import type { ApplyResult } from './plan';

/**
 * Applies one delivery on the writer's own connection, in one IMMEDIATE transaction; with
 * synchronous=FULL the commit is on disk when this resolves. SQLite lets one writer in at a
 * time, so the transaction itself keeps deliveries for one mirror row apart.
 *
 * The transaction opens by setting `mirror_writer_flag` and clears it before committing: the
 * triggers on the mirrored tables refuse every write made while that flag is not set
 * (migrations/sqlite/0001, 0005),
 * and only this connection registers the function that setting it needs.
 */
export function applyOnSqlite(internals: SqliteInternals, delivery: WebhookDelivery): Promise<ApplyResult> {
  return applyDelivery(...writerOf(internals.writer.$client), delivery, () => feedEventsAppended(internals));
}

type Writer = [ReturnType<typeof sqliteEngine>, ReturnType<typeof writerStatements>, WriterGuard];
const writers = new WeakMap<object, Writer>();

function writerOf(connection: SqliteInternals['writer']['$client']): Writer {
  let writer = writers.get(connection);
  if (!writer) {
    const engine = sqliteEngine(connection);
    const setFlag = engine.compile('writer.flag.set', sql`INSERT INTO mirror_writer_flag (active) VALUES (1)`);
    const clearFlag = engine.compile('writer.flag.clear', sql`DELETE FROM mirror_writer_flag`);
    const guard: WriterGuard = {
      enter: () => run(setFlag),
      leave: () => run(clearFlag),
    };
    writers.set(connection, (writer = [engine, writerStatements(engine), guard]));
  }
  return writer;
}

import { sql } from 'drizzle-orm';
import { feedEventsAppended } from '../feed/signal';
import type { PostgresInternals } from '../internals';
import { postgresEngine } from '../postgres/engine';
import { ADVISORY_LOCK_CLASS } from '../postgres/settings';
import { run } from '../queries/engine';
import { p } from '../queries/sql-build';
import type { WebhookDelivery } from './clerk-event';
import { applyDelivery, writerStatements, type WriterGuard } from './apply';
import type { ApplyResult } from './plan';

/**
 * Applies one delivery in one transaction on one pooled connection; the promise resolves only
 * after COMMIT returned.
 *
 * Several replicas may receive deliveries for the same mirror row at once. The transaction first
 * takes a transaction-scoped advisory lock on that row's Clerk key (a user, an organization, or a
 * membership's organization and user; the svix id when the event names nothing), so such
 * deliveries run one after the other: the second sees what the first committed (READ COMMITTED
 * takes a fresh snapshot per statement). One lock per transaction cannot deadlock, and it is
 * released by COMMIT or ROLLBACK, never held past the transaction.
 *
 * It also sets the transaction-local flag that the triggers on the mirrored tables require
 * (migrations/postgres/0001, 0006); PostgreSQL clears it at COMMIT or ROLLBACK. It runs on the writer's
 * own pool: MIRROR_WRITER_DATABASE_URL's role when set, the only role that may write the mirror.
 *
 * The statements are named prepared statements, parsed and planned once per connection: that
 * about doubled the deliveries per second the writer alone could apply (docs/benchmarks.md).
 */
export function applyOnPostgres(internals: PostgresInternals, delivery: WebhookDelivery): Promise<ApplyResult> {
  return applyDelivery(...writerOf(internals.writerPool), delivery, () => feedEventsAppended(internals));
}

type Writer = [ReturnType<typeof postgresEngine>, ReturnType<typeof writerStatements>, WriterGuard];
const writers = new WeakMap<object, Writer>();

function writerOf(pool: PostgresInternals['pool']): Writer {
  let writer = writers.get(pool);
  if (!writer) {
    const engine = postgresEngine(pool);
    const enter = engine.compile(
      'writer.enter',
      sql`SELECT set_config('expectations.mirror_writer', 'on', true), pg_advisory_xact_lock(${ADVISORY_LOCK_CLASS.mirrorWriter}, hashtext(${p('lockKey')}))`,
    );
    const guard: WriterGuard = {
      enter: (lockKey) => run(enter, { lockKey }),
      *leave() {},
    };
    writers.set(pool, (writer = [engine, writerStatements(engine), guard]));
  }
  return writer;
}

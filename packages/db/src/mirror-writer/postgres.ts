import { eq, fillPlaceholders, sql, type SQL } from 'drizzle-orm';
import { PgDialect, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { PostgresInternals } from '../internals';
import { ADVISORY_LOCK_CLASS } from '../postgres/settings';
import { users, webhookEvents } from '../postgres/schema/index';
import type { WebhookDelivery } from './clerk-event';
import { clerkUserIdOf, planMirrorChange, webhookEventRecord, type ApplyResult, type MirrorRowState } from './plan';

// The writer's statements, built once from the schema with drizzle and run as named prepared
// statements on one pooled connection: parsed and planned once per connection instead of on
// every delivery, which about doubled the deliveries per second the writer alone could apply
// (measured in-process with fsync on; see docs/benchmarks.md). drizzle's transaction API would
// rebuild and re-plan every statement of every delivery.
const dialect = new PgDialect();
const p = (name: string) => sql.placeholder(name);
const compiled = (name: string, query: SQL) => {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return { name: `writer.${name}`, text, params };
};
type Statement = ReturnType<typeof compiled>;

/** The user columns a change sets (MirrorUserFields), and `extra` ones, each bound to the value of its own key. */
function userColumns(extra: Array<'clerkId' | 'createdAt'>): Record<string, PgColumn> {
  const fields = ['email', 'firstName', 'lastName', 'username', 'imageUrl', 'clerkUpdatedAt', 'deletedAt', 'updatedAt', ...extra] as const;
  return Object.fromEntries(fields.map((field) => [field, users[field]]));
}

/** `INSERT INTO table (columns…) VALUES ($key…)`: each column and its placeholder from one entry. */
function insertInto(table: PgTable, columns: Record<string, PgColumn>): SQL {
  const keys = Object.keys(columns);
  return sql`INSERT INTO ${table} (${sql.join(keys.map((key) => sql.identifier(columns[key]!.name)), sql`, `)}) VALUES (${sql.join(keys.map(p), sql`, `)})`;
}

/** `column = $key, …` for an UPDATE. */
function assignments(columns: Record<string, PgColumn>): SQL {
  return sql.join(Object.entries(columns).map(([key, column]) => sql`${sql.identifier(column.name)} = ${p(key)}`), sql`, `);
}

const statements = {
  // The flag the triggers on `users` require (migrations/postgres/0001), and the per-user lock.
  enter: compiled('enter', sql`SELECT set_config('expectations.mirror_writer', 'on', true), pg_advisory_xact_lock(${ADVISORY_LOCK_CLASS.mirrorWriter}, hashtext(${p('lockKey')}))`),
  // One row always: the user's mirror row (or nulls) and whether this svix id was seen before.
  state: compiled(
    'state',
    sql`SELECT ${users.id}, ${users.clerkUpdatedAt}, ${users.deletedAt},
          EXISTS (SELECT 1 FROM ${webhookEvents} WHERE ${webhookEvents.svixId} = ${p('svixId')}) AS seen
        FROM (SELECT 1) AS one LEFT JOIN ${users} ON ${users.clerkId} = ${p('clerkId')}`,
  ),
  duplicate: compiled(
    'duplicate',
    sql`UPDATE ${webhookEvents} SET ${sql.identifier(webhookEvents.duplicateDeliveries.name)} = ${webhookEvents.duplicateDeliveries} + 1,
          ${sql.identifier(webhookEvents.lastDeliveredAt.name)} = ${p('receivedAt')}
        WHERE ${webhookEvents.svixId} = ${p('svixId')}`,
  ),
  insertUser: compiled('insertUser', sql`${insertInto(users, userColumns(['clerkId', 'createdAt']))} RETURNING ${users.id}`),
  updateUser: compiled('updateUser', sql`UPDATE ${users} SET ${assignments(userColumns([]))} WHERE ${eq(users.id, p('id'))}`),
  insertEvent: compiled(
    'insertEvent',
    insertInto(webhookEvents, {
      svixId: webhookEvents.svixId,
      type: webhookEvents.type,
      clerkUserId: webhookEvents.clerkUserId,
      outcome: webhookEvents.outcome,
      clerkUpdatedAt: webhookEvents.clerkUpdatedAt,
      receivedAt: webhookEvents.receivedAt,
      lastDeliveredAt: webhookEvents.lastDeliveredAt,
    }),
  ),
};

async function run(client: pg.PoolClient, statement: Statement, values: object) {
  return client.query({ name: statement.name, text: statement.text, values: fillPlaceholders(statement.params, values as Record<string, unknown>) });
}

/**
 * Applies one delivery in one transaction: the mirror change and its `webhook_events` row commit
 * together or not at all, and the promise resolves only after COMMIT returned.
 *
 * Several replicas may receive deliveries for the same user at once. The transaction first
 * takes a transaction-scoped advisory lock on the user (on the svix id when the event names no
 * user), so such deliveries run one after the other: the second sees what the first committed
 * (READ COMMITTED takes a fresh snapshot per statement), recognises a repeated svix id as a
 * duplicate and an older `updated_at` as stale. One lock per transaction cannot deadlock.
 *
 * It also sets the transaction-local flag that the triggers on `users` require
 * (migrations/postgres/0001); PostgreSQL clears it at COMMIT or ROLLBACK. It runs on the writer's
 * own pool: MIRROR_WRITER_DATABASE_URL's role when set, the only role that may write the mirror.
 */
export async function applyOnPostgres({ writerPool }: PostgresInternals, delivery: WebhookDelivery): Promise<ApplyResult> {
  const clerkId = clerkUserIdOf(delivery.event);
  const client = await writerPool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      await run(client, statements.enter, { lockKey: clerkId ?? delivery.svixId });
      const { rows } = await run(client, statements.state, { clerkId, svixId: delivery.svixId });
      const state = rows[0] as { id: number | null; clerk_updated_at: string | null; deleted_at: string | null; seen: boolean };
      const row: MirrorRowState | undefined =
        state.id === null
          ? undefined
          : { id: state.id, clerkUpdatedAt: Number(state.clerk_updated_at), deletedAt: state.deleted_at === null ? null : Number(state.deleted_at) };

      let result: ApplyResult;
      if (state.seen) {
        await run(client, statements.duplicate, { svixId: delivery.svixId, receivedAt: delivery.receivedAt });
        result = { outcome: 'duplicate', userId: row?.id ?? null };
      } else {
        const change = planMirrorChange(delivery.event, row, delivery.receivedAt);
        let userId = row?.id ?? null;
        if ('insert' in change) userId = ((await run(client, statements.insertUser, change.insert)).rows[0] as { id: number }).id;
        else if ('update' in change) await run(client, statements.updateUser, { ...change.update, id: row!.id });
        await run(client, statements.insertEvent, webhookEventRecord(delivery, change.outcome));
        result = { outcome: change.outcome, userId };
      }
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    }
  } catch (error) {
    broken ??= isConnectionError(error) ? (error as Error) : undefined;
    throw error;
  } finally {
    // A connection that failed mid-transaction is not given back to the pool.
    client.release(broken);
  }
}

function isConnectionError(error: unknown): boolean {
  return error instanceof Error && !('code' in error && typeof (error as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((error as { code: string }).code));
}

import type { Database } from '../database';
import { internalsOf } from '../internals';
import type { ExpectationWithPeople } from '../queries/types';

/** An expectation row as stored (times in epoch ms), for seeding large tables (benchmarks). */
export type ExpectationSeed = Omit<ExpectationWithPeople, 'id' | 'author' | 'assignee' | 'createdAt' | 'updatedAt'> & {
  authorId: number;
  assigneeId: number | null;
  /** The team's organizations mirror id; absent or null for a personal expectation. */
  organizationId?: number | null;
  createdAt: number;
  updatedAt: number;
};

const COLUMNS = '(author_id, assignee_id, organization_id, title, details, status, due_on, created_at, updated_at)';
const POSTGRES_BATCH = 5000;

/**
 * Inserts expectations in bulk, in id order: one transaction and one prepared statement on
 * SQLite, batches of arrays through unnest() on PostgreSQL. The benchmarks' large sizes (a
 * million rows) need bulk speed, not the product's one-at-a-time create.
 */
export async function insertExpectations(db: Database, rows: Iterable<ExpectationSeed>): Promise<void> {
  const internals = internalsOf(db);
  if (internals.dialect === 'sqlite') {
    const connection = internals.queries.$client;
    const insert = connection.prepare(`INSERT INTO expectations ${COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    connection.transaction(() => {
      for (const row of rows) {
        insert.run(row.authorId, row.assigneeId, row.organizationId ?? null, row.title, row.details, row.status, row.dueOn, row.createdAt, row.updatedAt);
      }
    })();
    return;
  }
  const text = `INSERT INTO expectations ${COLUMNS}
    SELECT a, b, c, d, e, f, g, h, i FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[])
    WITH ORDINALITY AS seed(a, b, c, d, e, f, g, h, i, n) ORDER BY n`;
  let batch: ExpectationSeed[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const column = <K extends keyof ExpectationSeed>(key: K) => batch.map((row) => row[key] ?? null);
    await internals.pool.query(text, [
      column('authorId'), column('assigneeId'), column('organizationId'), column('title'), column('details'),
      column('status'), column('dueOn'), column('createdAt'), column('updatedAt'),
    ]);
    batch = [];
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length === POSTGRES_BATCH) await flush();
  }
  await flush();
}

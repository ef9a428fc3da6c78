import type { ExpectationStatus } from '../constants';
import type { Database } from '../database';
import { internalsOf } from '../internals';

/** An expectation row as stored, for seeding large tables (benchmarks). */
export interface ExpectationSeed {
  authorId: number;
  assigneeId: number | null;
  title: string;
  details: string;
  status: ExpectationStatus;
  dueOn: string | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * Inserts expectations in one transaction with one prepared statement: the benchmarks' large
 * sizes (a million rows) need bulk speed, not the product's one-at-a-time create.
 */
export async function insertExpectations(db: Database, rows: Iterable<ExpectationSeed>): Promise<void> {
  const connection = internalsOf(db).queries.$client;
  const insert = connection.prepare(
    `INSERT INTO expectations (author_id, assignee_id, title, details, status, due_on, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  connection.transaction(() => {
    for (const row of rows) {
      insert.run(row.authorId, row.assigneeId, row.title, row.details, row.status, row.dueOn, row.createdAt, row.updatedAt);
    }
  })();
}

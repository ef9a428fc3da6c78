import { join } from 'node:path';
import { createQueries, openDatabase, type Database, type Queries } from '@expectations/db';
import { sqlRows, sqlRun } from '@expectations/db/testing';
import { apiEnv, tempDir, type BenchKeys } from '../lib/environments';
import { median } from '../lib/load';
import { API_ENTRY, startServer } from '../lib/processes';
import { captureListStatement } from '../lib/list-sql';
import { bulkInsertExpectations, seedUsersThroughWebhooks } from '../lib/seed';

export interface GrowthRow {
  expectations: number;
  firstPageMs: number;
  deepPageMs: number;
  deepOverFirst: number;
  authorFirstPageMs: number;
  authorDeepPageMs: number;
}

export interface GrowthResult {
  users: number;
  pageSize: number;
  rows: GrowthRow[];
  firstPageLargestOverSmallest: number;
  queryPlan: string[];
}

const USERS = 1000;
const PAGE = 20;

/**
 * First-page and deep-page latency of `expectations.list`'s query as the table grows. Users
 * arrive through signed webhooks; expectations are bulk-inserted through the db package.
 */
export async function growth(options: { keys: BenchKeys; sizes: number[]; samples: number }): Promise<GrowthResult> {
  const dir = tempDir('growth');
  const path = join(dir, 'growth.db');
  const api = await startServer('api', API_ENTRY, apiEnv(path, options.keys));
  try {
    await seedUsersThroughWebhooks(api.url, options.keys.signingSecret, USERS);
  } finally {
    await api.stop();
  }

  const url = `file:${path}`;
  const db = await openDatabase(url);
  const queries: Queries = createQueries(db);
  try {
    const userIds = (await sqlRows<{ id: number }>(db, 'SELECT id FROM users ORDER BY id')).map((row) => row.id);
    const rows: GrowthRow[] = [];
    let inserted = 0;
    for (const size of [...options.sizes].sort((a, b) => a - b)) {
      await bulkInsertExpectations(db, userIds, inserted, size - inserted);
      inserted = size;
      await sqlRun(db, 'PRAGMA optimize');
      const author = userIds[7]!;
      const deepBefore = await oldestPageCursor(db, {});
      const deepAuthorBefore = await oldestPageCursor(db, { authorId: author });
      const firstPageMs = await timeMedian(options.samples, () => queries.listExpectations({ limit: PAGE }));
      const deepPageMs = await timeMedian(options.samples, () => queries.listExpectations({ limit: PAGE, beforeId: deepBefore }));
      rows.push({
        expectations: size,
        firstPageMs,
        deepPageMs,
        deepOverFirst: deepPageMs / firstPageMs,
        authorFirstPageMs: await timeMedian(options.samples, () => queries.listExpectations({ limit: PAGE, authorId: author })),
        authorDeepPageMs: await timeMedian(options.samples, () =>
          queries.listExpectations({ limit: PAGE, authorId: author, beforeId: deepAuthorBefore }),
        ),
      });
    }
    return {
      users: USERS,
      pageSize: PAGE,
      rows,
      firstPageLargestOverSmallest: rows.at(-1)!.firstPageMs / rows[0]!.firstPageMs,
      queryPlan: await queryPlanOfList(db, url),
    };
  } finally {
    await db.close();
  }
}

/** A cursor that lands on the last (oldest) page for the given filter. */
async function oldestPageCursor(db: Database, filter: { authorId?: number }): Promise<number> {
  const where = filter.authorId === undefined ? '' : 'WHERE author_id = ?';
  const ids = await sqlRows<{ id: number }>(
    db,
    `SELECT id FROM expectations ${where} ORDER BY id ASC LIMIT ${PAGE + 1}`,
    filter.authorId === undefined ? [] : [filter.authorId],
  );
  return ids.at(-1)!.id;
}

async function timeMedian(samples: number, run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await run(); // warm the page cache and the prepared statement
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

/** EXPLAIN QUERY PLAN of the statement the list actually runs (a deep page, no filter). */
async function queryPlanOfList(db: Database, url: string): Promise<string[]> {
  const list = await captureListStatement(url, true);
  const plan = await sqlRows<{ detail: string }>(db, `EXPLAIN QUERY PLAN ${list.sql}`, list.parameters);
  return [list.sql, ...plan.map((row) => row.detail)];
}

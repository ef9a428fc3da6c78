import { join } from 'node:path';
import { listExpectations, openDatabase, type Database } from '@expectations/db';
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

  const db = openDatabase(path);
  try {
    const userIds = (db.sqlite.prepare('SELECT id FROM users ORDER BY id').all() as Array<{ id: number }>).map((row) => row.id);
    const rows: GrowthRow[] = [];
    let inserted = 0;
    for (const size of [...options.sizes].sort((a, b) => a - b)) {
      bulkInsertExpectations(db, userIds, inserted, size - inserted);
      inserted = size;
      db.sqlite.pragma('optimize');
      const author = userIds[7]!;
      const deepBefore = oldestPageCursor(db, {});
      const deepAuthorBefore = oldestPageCursor(db, { authorId: author });
      const firstPageMs = await timeMedian(options.samples, () => listExpectations(db, { limit: PAGE }));
      const deepPageMs = await timeMedian(options.samples, () => listExpectations(db, { limit: PAGE, beforeId: deepBefore }));
      rows.push({
        expectations: size,
        firstPageMs,
        deepPageMs,
        deepOverFirst: deepPageMs / firstPageMs,
        authorFirstPageMs: await timeMedian(options.samples, () => listExpectations(db, { limit: PAGE, authorId: author })),
        authorDeepPageMs: await timeMedian(options.samples, () =>
          listExpectations(db, { limit: PAGE, authorId: author, beforeId: deepAuthorBefore }),
        ),
      });
    }
    return {
      users: USERS,
      pageSize: PAGE,
      rows,
      firstPageLargestOverSmallest: rows.at(-1)!.firstPageMs / rows[0]!.firstPageMs,
      queryPlan: queryPlanOfList(db),
    };
  } finally {
    db.close();
  }
}

/** A cursor that lands on the last (oldest) page for the given filter. */
function oldestPageCursor(db: Database, filter: { authorId?: number }): number {
  const where = filter.authorId === undefined ? '' : 'WHERE author_id = ?';
  const ids = db.sqlite
    .prepare(`SELECT id FROM expectations ${where} ORDER BY id ASC LIMIT ${PAGE + 1}`)
    .all(...(filter.authorId === undefined ? [] : [filter.authorId])) as Array<{ id: number }>;
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
function queryPlanOfList(db: Database): string[] {
  const list = captureListStatement(db.path, true);
  const plan = db.sqlite.prepare(`EXPLAIN QUERY PLAN ${list.sql}`).all(...list.parameters) as Array<{ detail: string }>;
  return [list.sql, ...plan.map((row) => row.detail)];
}

import { createQueries, openDatabase, type Database, type Queries } from '@expectations/db';
import { explainPrepared, sqlRows, sqlRun } from '@expectations/db/testing';
import { apiEnv, newSqliteDatabase, type BenchKeys, type NewDatabase } from '../lib/environments';
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
export async function growth(options: { keys: BenchKeys; sizes: number[]; samples: number; newDatabase?: NewDatabase }): Promise<GrowthResult> {
  const url = await (options.newDatabase ?? newSqliteDatabase)('growth');
  const api = await startServer('api', API_ENTRY, apiEnv(url, options.keys));
  try {
    await seedUsersThroughWebhooks(api.url, options.keys.signingSecret, USERS);
  } finally {
    await api.stop();
  }

  const db = await openDatabase(url);
  const queries: Queries = createQueries(db);
  try {
    const userIds = (await sqlRows<{ id: number }>(db, 'SELECT id FROM users ORDER BY id')).map((row) => row.id);
    const rows: GrowthRow[] = [];
    let inserted = 0;
    for (const size of [...options.sizes].sort((a, b) => a - b)) {
      await bulkInsertExpectations(db, userIds, inserted, size - inserted);
      inserted = size;
      // Fresh statistics, as the engine's own maintenance would keep them.
      await sqlRun(db, db.dialect === 'sqlite' ? 'PRAGMA optimize' : 'ANALYZE');
      const author = userIds[7]!;
      const deepBefore = await oldestPageCursor(db, {});
      const deepAuthorBefore = await oldestPageCursor(db, { authorId: author });
      const [firstPageMs, deepPageMs, authorFirstPageMs, authorDeepPageMs] = await timeMedians(options.samples, [
        () => queries.listExpectations({ scope: 'all', limit: PAGE }),
        () => queries.listExpectations({ scope: 'all', limit: PAGE, beforeId: deepBefore }),
        () => queries.listExpectations({ scope: 'all', limit: PAGE, authorId: author }),
        () => queries.listExpectations({ scope: 'all', limit: PAGE, authorId: author, beforeId: deepAuthorBefore }),
      ]) as [number, number, number, number];
      rows.push({ expectations: size, firstPageMs, deepPageMs, deepOverFirst: deepPageMs / firstPageMs, authorFirstPageMs, authorDeepPageMs });
    }
    return {
      users: USERS,
      pageSize: PAGE,
      rows,
      firstPageLargestOverSmallest: rows.at(-1)!.firstPageMs / rows[0]!.firstPageMs,
      queryPlan: await queryPlanOfList(db, url, await oldestPageCursor(db, {})),
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

/**
 * The median time of each call, sampled in turn (one of each, then the next round) so that all of
 * them meet the same machine noise and their ratios compare like with like.
 */
async function timeMedians(samples: number, runs: Array<() => Promise<unknown>>): Promise<number[]> {
  for (const run of runs) for (let i = 0; i < 20; i++) await run(); // warm the caches and the prepared statements
  const times = runs.map((): number[] => []);
  for (let i = 0; i < samples; i++) {
    for (const [index, run] of runs.entries()) {
      const start = process.hrtime.bigint();
      await run();
      times[index]!.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return times.map(median);
}

/** The plan of the statement the list actually runs for the deepest page (no filter). */
async function queryPlanOfList(db: Database, url: string, deepBefore: number): Promise<string[]> {
  const list = await captureListStatement(url, true);
  // The page's own parameters: PostgreSQL plans for the values bound, and a huge LIMIT plans differently.
  const parameters = [...list.parameters];
  parameters[list.limitIndex] = PAGE + 1;
  parameters[list.beforeIdIndex] = deepBefore;
  if (db.dialect === 'postgres') return [list.sql, ...((await explainPrepared(db, list.sql, parameters)) as string[])];
  const plan = await sqlRows<{ detail: string }>(db, `EXPLAIN QUERY PLAN ${list.sql}`, parameters);
  return [list.sql, ...plan.map((row) => row.detail)];
}

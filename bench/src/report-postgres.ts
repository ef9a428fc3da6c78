import { baselineParagraph, cpuPerRequestTable, fixed, readPathTable, startupTable } from './report-tables';
import type { PostgresReport } from './suites/postgres';

/** A driver ratio in words: within ±10 % is not a difference this shared machine can show. */
function describeRatio(ratio: number): string {
  if (Math.abs(ratio - 1) < 0.1) return `level (×${fixed(ratio, 2)})`;
  return ratio > 1 ? `faster (×${fixed(ratio, 2)})` : `slower (×${fixed(ratio, 2)})`;
}

/** The PostgreSQL section of docs/benchmarks.md. */
export function renderPostgresSection(pg: PostgresReport): string[] {
  const { drivers, readPath: read, webhookIngestion: ingestion, growth, replicas } = pg;
  return [
    '## PostgreSQL',
    '',
    `Measured ${pg.date.slice(0, 10)} with \`${pg.command}\`: the same suites with \`DATABASE_URL=postgres://…\`, on a throwaway ${pg.server} server started by the run on this ` +
      'machine (127.0.0.1, fsync **on**, as in production; shared_buffers and the rest at their defaults), sharing its two ' +
      `cores with the API, the floor and the load generator. Load average before and after: ${pg.load.before} → ${pg.load.after}.`,
    '',
    '### Driver: `pg` or `postgres`',
    '',
    `Both drivers drizzle supports, in one process with pools of ${drivers.poolSize}, ${drivers.connections} concurrent loops, ` +
      `${drivers.rounds} alternating rounds of ${drivers.secondsPerRound} s: the product's own \`expectations.list\` statement ` +
      '(prepared by name, rows as arrays), and a transaction shaped like the mirror writer\'s (BEGIN, the writer flag and the ' +
      'per-user advisory lock, UPDATE users, INSERT webhook_events, COMMIT).',
    '',
    '| | list pages/s | writer transactions/s |',
    '| --- | ---: | ---: |',
    `| \`pg\` (node-postgres) | ${fixed(drivers.pg.listPerSecond)} | ${fixed(drivers.pg.writesPerSecond)} |`,
    `| \`postgres\` (postgres.js) | ${fixed(drivers.postgres.listPerSecond)} | ${fixed(drivers.postgres.writesPerSecond)} |`,
    `| **postgres ÷ pg** | **${fixed(drivers.listRatio, 2)}** | **${fixed(drivers.writeRatio, 2)}** |`,
    '',
    `The product uses \`pg\`. In this run postgres.js was ${describeRatio(drivers.listRatio)} on the list and ` +
      `${describeRatio(drivers.writeRatio)} on the writer's transaction. \`pg\` is the choice because it is not behind on the ` +
      'durable write path, the one with an absolute goal, where postgres.js is not clearly ahead on the read, and because its ' +
      'named prepared statements with `rowMode: \'array\'` hand the read path the raw rows it maps itself. The read path\'s ratio ' +
      'below is against a floor on the same driver, so the choice does not flatter it.',
    '',
    ...(pg.startup
      ? [
          '### Start-up of the build on PostgreSQL',
          '',
          `The start-up suite of the SQLite section with \`DATABASE_URL=postgres://…\`: ${pg.startup.rounds} starts each way, ` +
            'alternating, on a database migrated beforehand: the pool\'s first connection, the migrations\' advisory lock ' +
            `and the check that nothing is pending are in every start. RSS after ${pg.startup.idleSeconds} s idle. The bundle ` +
            'carries the `pg` driver inside it (only better-sqlite3 stays outside) and both engines\' migrations beside it.',
          '',
          ...startupTable(pg.startup),
          '',
        ]
      : []),
    '### Read path against its floor',
    '',
    `The suite of the SQLite section with the API on PostgreSQL (pool of 10): ${read.expectations.toLocaleString('en')} expectations, ` +
      `${read.users} users${read.teams ? ` in ${read.teams} teams (the active team's page)` : ''}, first page of 20 with both joins, ${read.connections} connections, ${read.rounds} alternating rounds of ` +
      `${read.secondsPerRound} s, the API as deployed and with \`METRICS=off\`. The floor is node:http + RS256 verification + the ` +
      'same statement by name on a `pg` pool of the same size + JSON. Goal: API ÷ floor ≥ 0.80.' +
      (read.measuredAt ? ` Re-measured alone on ${read.measuredAt.slice(0, 10)} (\`pnpm bench --only read-path\`).` : '') +
      (read.loadAverage ? ` Load average when it started: ${read.loadAverage.join(', ')}.` : ''),
    '',
    ...readPathTable(read),
    '',
    ...cpuPerRequestTable(read),
    '',
    ...baselineParagraph(read),
    'How it got here. The first full run measured 0.71 (2026-12-02, load averages 17 to 29). A CPU profile of the API',
    'under this load put a quarter of its time in socket writes and the pg protocol, which the floor pays too, and about',
    'a quarter in what the floor does not have: the GET fast path and tRPC\'s procedure call, mapping each row twice (to',
    'the db package\'s row, then to the API\'s shape), zod and the session check. Re-measured on the quiet machine (load',
    'about 1), the same build gave 0.83, CPU per request 169 µs against the floor\'s 131. Mapping each row once, in the',
    'db package straight to the API\'s shape, then took the API from 171.6 to 161.0 µs per request side by side with',
    'the build before it (API ÷ floor 0.83 → 0.91 in that comparison; on SQLite 200.5 → 195.3 µs). Tried then and not kept (kept since 2026-12-06, see "tRPC\'s object spreads"):',
    'sending the JSON as a string with `Buffer.byteLength` for its length, as the floor does, instead of one Buffer',
    '(176.0 → 171.1 µs on PostgreSQL, 207.8 → 214.2 µs on SQLite: noise either way). What remains is tRPC\'s own',
    'machinery (the object spreads of its middleware chain and of `transformTRPCResponse`, about 5 % of the busy CPU,',
    'the AbortSignal per request about 1 %) and the ISO dates both sides write (`Date#toISOString`, about 17 µs a page).',
    '',
    'Two full runs of this code on 2026-12-02, load averages 1 to 3: API ÷ floor 0.87 and 0.79 on PostgreSQL (with',
    '`METRICS=off` 0.91 and 0.88), 0.83 and 0.73 on SQLite (0.77 and 0.79): at the goal with the metrics on, not clearly',
    'past it. Over both runs the API with metrics took 0.94 to 1.27 times the CPU per request of the API without on',
    'PostgreSQL, and 0.80 to 1.21 on SQLite, more than its CPU profile accounts for (prom-client and the metrics code',
    'about 0.5 % of the busy CPU, `/metrics` scraped every 2 s). Profiled side by side since (2026-12-02, SQLite, a',
    'slower machine): the two processes\' profiles differ by about 0.5 % of samples; API with metrics, with metrics but',
    'without prom-client\'s default process metrics, and without metrics, 10 alternating rounds twice, took 705, 631 and',
    '633 µs, then 619, 618 and 596 µs of CPU per request; a scrape costs 2.3 ms of CPU. What the metrics cost is a few',
    'percent at most, under what these runs resolve.',
    '',
    '### Durable webhook ingestion',
    '',
    `Signed \`user.updated\` deliveries for 1,000 users on one API process, each answered after its transaction committed ` +
      `(synchronous_commit on, fsync on), ${ingestion.connections} connections, ${ingestion.rounds} alternating rounds of ` +
      `${ingestion.secondsPerRound} s. The floor is node:http + the Svix check + JSON.parse + the same writer (\`applyClerkEvent\`). ` +
      'Goal: ≥ 1,000 deliveries/s on one replica.',
    '',
    '| | deliveries/s (median) | p50 ms | p99 ms | non-2xx |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| API | ${fixed(ingestion.api.medianPerSecond)} | ${ingestion.api.medianP50Ms} | ${ingestion.api.medianP99Ms} | ${ingestion.api.non2xx} |`,
    `| floor | ${fixed(ingestion.floor.medianPerSecond)} | ${ingestion.floor.medianP50Ms} | ${ingestion.floor.medianP99Ms} | ${ingestion.floor.non2xx} |`,
    `| **API ÷ floor** | **${fixed(ingestion.ratio, 2)}** | | | |`,
    '',
    '### How the read path grows',
    '',
    `Median latency of the list query through the db package, in-process, as the table grows (${growth.users} users, pages of ` +
      `${growth.pageSize}; the deep page is the oldest, reached by keyset cursor; \`ANALYZE\` after each load). Goal: deep ÷ first ≤ 1.1.`,
    '',
    '| expectations | first page ms | deep page ms | deep ÷ first | by author: first ms | by author: deep ms |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...growth.rows.map(
      (row) =>
        `| ${row.expectations.toLocaleString('en')} | ${fixed(row.firstPageMs, 3)} | ${fixed(row.deepPageMs, 3)} | ` +
        `${fixed(row.deepOverFirst, 2)} | ${fixed(row.authorFirstPageMs, 3)} | ${fixed(row.authorDeepPageMs, 3)} |`,
    ),
    '',
    `First page, largest ÷ smallest table: **${fixed(growth.firstPageLargestOverSmallest, 2)}**. The plan of the deep-page statement ` +
      'as the API runs it (prepared by name, generic plan, explained with the oldest page\'s cursor):',
    '',
    '```',
    ...growth.queryPlan.slice(1),
    '```',
    '',
    '### One replica against two',
    '',
    `The read path with ${replicas.connections} connections on one API process, then split over two API processes on the same ` +
      `database, ${replicas.rounds} alternating rounds of ${replicas.secondsPerRound} s.`,
    '',
    '| | requests/s (median) |',
    '| --- | ---: |',
    `| one replica | ${fixed(replicas.oneReplicaPerSecond)} |`,
    `| two replicas | ${fixed(replicas.twoReplicasPerSecond)} |`,
    `| **two ÷ one** | **${fixed(replicas.twoOverOne, 2)}** |`,
    '',
    'What two cores can and cannot show: here PostgreSQL, both API processes and the load generator share the same two',
    'cores, and one API process alone already keeps them busy, so a second replica can only move work around, not add',
    'CPU; a ratio near 1 is the expected result, and a ratio below 1 is the price of one more process competing for the',
    'same cores. What this run does show is that two replicas serve one database together with every request answered',
    '(non-2xx: ' + String(replicas.non2xx) + '), and the chaos test shows that they stay correct while one of them is killed. Scaling out needs',
    'replicas on machines of their own, with PostgreSQL on its own host; then the API processes are the part that',
    'multiplies, and the database\'s connection limit (replicas × pool size) is the number to watch (docs/operations.md).',
    '',
  ];
}

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import postgres from 'postgres';
import { createQueries, openDatabase } from '@expectations/db';
import { insertExpectations, mirrorUser, recordStatements } from '@expectations/db/testing';
import { median } from '../lib/load';
import { newPostgresDatabase } from '../lib/postgres';
import type { PostgresServer } from '@expectations/db/testing';

export interface DriverFigures {
  /** expectations.list pages (20 rows, both joins) per second, named prepared statement, rows as arrays. */
  listPerSecond: number;
  /** Writer-shaped transactions per second: BEGIN, flag + advisory lock, UPDATE users, INSERT webhook_events, COMMIT. */
  writesPerSecond: number;
}

export interface DriverComparison {
  connections: number;
  poolSize: number;
  rounds: number;
  secondsPerRound: number;
  pg: DriverFigures;
  postgres: DriverFigures;
  /** postgres.js ÷ pg, per workload. */
  listRatio: number;
  writeRatio: number;
}

type Operation = () => Promise<unknown>;

/** Runs `operation` from `connections` loops for `seconds`; operations per second. */
async function rate(operation: Operation, connections: number, seconds: number): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) {
        await operation();
        done += 1;
      }
    }),
  );
  return done / seconds;
}

/**
 * The two PostgreSQL drivers drizzle supports, `pg` (node-postgres) and `postgres` (postgres.js),
 * on the product's own list statement and a transaction shaped like the mirror writer's, in one
 * process, same pool size, alternating rounds.
 */
export async function postgresDrivers(options: { server: PostgresServer; rounds: number; seconds: number; connections: number }): Promise<DriverComparison> {
  const url = await newPostgresDatabase(options.server);
  const db = await openDatabase(url);
  const userIds: number[] = [];
  for (let n = 0; n < 200; n++) userIds.push((await mirrorUser(db, { firstName: `Driver ${n}` })).id);
  await insertExpectations(
    db,
    Array.from({ length: 20_000 }, (_, n) => ({
      authorId: userIds[n % userIds.length]!,
      assigneeId: n % 3 ? userIds[(n * 7) % userIds.length]! : null,
      title: `Expectation ${n}`,
      details: '',
      status: 'open' as const,
      dueOn: null,
      createdAt: n,
      updatedAt: n,
    })),
  );
  const recorder = recordStatements(db);
  await createQueries(db).listExpectations({ scope: 'all', limit: 20 });
  recorder.stop();
  const list = recorder.executed.find((statement) => /from "expectations"/i.test(statement.sql))!;
  await db.close();

  const poolSize = 10;
  const flagAndLock = "SELECT set_config('expectations.mirror_writer', 'on', true), pg_advisory_xact_lock(1, hashtext($1))";
  const touchUser = 'UPDATE users SET updated_at = $1 WHERE id = $2';
  const recordEvent = `INSERT INTO webhook_events (svix_id, type, clerk_user_id, outcome, clerk_updated_at, received_at, last_delivered_at)
    VALUES ($1, 'user.updated', $2, 'applied', $3, $3, $3)`;
  const pick = () => userIds[Math.floor(Math.random() * userIds.length)]!;

  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const sql = postgres(url, { max: poolSize, prepare: true, onnotice: () => {} });
  const workloads = {
    pg: {
      list: () => pool.query({ name: 'list', text: list.sql, values: list.params, rowMode: 'array' }),
      write: async () => {
        const client = await pool.connect();
        try {
          const id = pick();
          await client.query('BEGIN');
          await client.query({ name: 'lock', text: flagAndLock, values: [`user_${id}`] });
          await client.query({ name: 'touch', text: touchUser, values: [Date.now(), id] });
          await client.query({ name: 'event', text: recordEvent, values: [`msg_${randomUUID()}`, `user_${id}`, Date.now()] });
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      },
    },
    postgres: {
      list: () => sql.unsafe(list.sql, list.params as postgres.ParameterOrJSON<never>[], { prepare: true }).values(),
      write: () =>
        sql.begin(async (tx) => {
          const id = pick();
          await tx.unsafe(flagAndLock, [`user_${id}`], { prepare: true });
          await tx.unsafe(touchUser, [Date.now(), id], { prepare: true });
          await tx.unsafe(recordEvent, [`msg_${randomUUID()}`, `user_${id}`, Date.now()], { prepare: true });
        }),
    },
  };
  try {
    const samples = { pg: { list: [] as number[], write: [] as number[] }, postgres: { list: [] as number[], write: [] as number[] } };
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 ? (['postgres', 'pg'] as const) : (['pg', 'postgres'] as const);
      for (const driver of order) {
        samples[driver].list.push(await rate(workloads[driver].list, options.connections, options.seconds));
        samples[driver].write.push(await rate(workloads[driver].write, options.connections, options.seconds));
      }
    }
    const figures = (driver: 'pg' | 'postgres'): DriverFigures => ({
      listPerSecond: median(samples[driver].list),
      writesPerSecond: median(samples[driver].write),
    });
    const [pgFigures, postgresFigures] = [figures('pg'), figures('postgres')];
    return {
      connections: options.connections,
      poolSize,
      rounds: options.rounds,
      secondsPerRound: options.seconds,
      pg: pgFigures,
      postgres: postgresFigures,
      listRatio: postgresFigures.listPerSecond / pgFigures.listPerSecond,
      writeRatio: postgresFigures.writesPerSecond / pgFigures.writesPerSecond,
    };
  } finally {
    await pool.end();
    await sql.end();
  }
}

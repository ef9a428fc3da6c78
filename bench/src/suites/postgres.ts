import { execSync } from 'node:child_process';
import type { PostgresServer } from '@expectations/db/testing';
import type { BenchKeys } from '../lib/environments';
import { newPostgresDatabase } from '../lib/postgres';
import { growth, type GrowthResult } from './growth';
import { postgresDrivers, type DriverComparison } from './postgres-drivers';
import { postgresReplicas, type ReplicasResult } from './postgres-replicas';
import { readPath, type ReadPathResult } from './read-path';
import { startup, type StartupResult } from './startup';
import { webhookIngestion, type IngestionResult } from './webhook-ingestion';

export interface PostgresReport {
  date: string;
  command: string;
  server: string;
  drivers: DriverComparison;
  /** The API's start-up on PostgreSQL, build against source (absent from runs before the build existed). */
  startup?: StartupResult;
  readPath: ReadPathResult;
  webhookIngestion: IngestionResult;
  growth: GrowthResult;
  replicas: ReplicasResult;
  /** `uptime`'s load averages before and after: the machine is shared. */
  load: { before: string; after: string };
}

const loadAverage = () => execSync('uptime', { encoding: 'utf8' }).trim().replace(/^.*load average: /, '');

/**
 * Every PostgreSQL suite on one throwaway, durable (fsync on) server: each suite gets databases of
 * its own, and the API and its floor use the same driver (pg) and pool size.
 */
export async function postgresSuites(options: {
  server: PostgresServer;
  keys: BenchKeys;
  quick: boolean;
  check: (name: string, side: { non2xx: number }) => void;
}): Promise<PostgresReport> {
  const { server, keys, quick, check } = options;
  const newDatabase = () => newPostgresDatabase(server);
  const before = loadAverage();
  const version = execSync(`psql --no-psqlrc -At -c 'SHOW server_version' '${server.url}'`, { encoding: 'utf8' }).trim();
  const drivers = await postgresDrivers({ server, rounds: quick ? 2 : 6, seconds: quick ? 1 : 4, connections: 16 });
  console.log(JSON.stringify(drivers));
  const started = await startup({ keys, rounds: quick ? 2 : 10, idleSeconds: quick ? 1 : 3, newDatabase });
  console.log(JSON.stringify({ build: started.build, source: started.source }));
  const read = await readPath({ keys, rounds: quick ? 2 : 6, seconds: quick ? 2 : 8, connections: 16, newDatabase });
  check('postgres read path API', read.api);
  check('postgres read path API, metrics off', read.apiMetricsOff);
  check('postgres read path floor', read.floor);
  console.log(JSON.stringify(read));
  const ingestion = await webhookIngestion({ keys, rounds: quick ? 2 : 6, seconds: quick ? 2 : 8, connections: 16, newDatabase });
  check('postgres ingestion API', ingestion.api);
  check('postgres ingestion floor', ingestion.floor);
  console.log(JSON.stringify(ingestion));
  const grown = await growth({ keys, sizes: quick ? [10_000] : [10_000, 100_000, 1_000_000], samples: quick ? 100 : 1000, newDatabase });
  console.log(JSON.stringify(grown.rows));
  const replicas = await postgresReplicas({ keys, newDatabase, rounds: quick ? 2 : 6, seconds: quick ? 2 : 8, connections: 16 });
  check('postgres replicas', replicas);
  console.log(JSON.stringify(replicas));
  return {
    date: new Date().toISOString(),
    command: quick ? 'pnpm bench --quick --only postgres' : 'pnpm bench --only postgres',
    server: `PostgreSQL ${version}`, drivers, startup: started, readPath: read, webhookIngestion: ingestion, growth: grown, replicas, load: { before, after: loadAverage() } };
}

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresServer } from '@expectations/db/testing';
import { startPostgresServer } from '@expectations/db/testing';
import { newBenchKeys } from '../src/lib/environments';
import { newPostgresDatabase } from '../src/lib/postgres';
import { growth } from '../src/suites/growth';
import { postgresDrivers } from '../src/suites/postgres-drivers';
import { postgresReplicas } from '../src/suites/postgres-replicas';
import { readPath } from '../src/suites/read-path';
import { startup } from '../src/suites/startup';
import { webhookIngestion } from '../src/suites/webhook-ingestion';

// Keeps the PostgreSQL half of `pnpm bench` from rotting: every suite runs briefly on a throwaway
// server and every request must succeed. No timing is asserted.
const keys = newBenchKeys();
let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgresServer();
}, 60_000);
afterAll(() => server.stop());
const newDatabase = () => newPostgresDatabase(server);

it('runs the driver comparison', async () => {
  const result = await postgresDrivers({ server, rounds: 1, seconds: 0.5, connections: 4 });
  for (const driver of [result.pg, result.postgres]) {
    expect(driver.listPerSecond).toBeGreaterThan(0);
    expect(driver.writesPerSecond).toBeGreaterThan(0);
  }
});

it('runs the start-up suite on PostgreSQL: the build and the source both start and answer /healthz', async () => {
  const result = await startup({ keys, rounds: 1, idleSeconds: 0, newDatabase });
  for (const side of [result.build, result.source]) {
    expect(side.startMs).toHaveLength(1);
    expect(side.medianIdleRssMiB).toBeGreaterThan(0);
  }
});

it('runs the read-path suite on PostgreSQL: the API, the API without metrics and the floor answer every request', async () => {
  const result = await readPath({ keys, rounds: 1, seconds: 1, connections: 4, newDatabase });
  expect(result.api.non2xx).toBe(0);
  expect(result.apiMetricsOff.non2xx).toBe(0);
  expect(result.floor.non2xx).toBe(0);
  expect(result.api.medianPerSecond).toBeGreaterThan(0);
  expect(result.floor.medianPerSecond).toBeGreaterThan(0);
});

it('runs the ingestion suite on PostgreSQL: every signed delivery is acknowledged', async () => {
  const result = await webhookIngestion({ keys, rounds: 1, seconds: 1, connections: 4, newDatabase });
  expect(result.api.non2xx).toBe(0);
  expect(result.floor.non2xx).toBe(0);
});

it('runs the growth suite on PostgreSQL and reads the plan of the real list statement', async () => {
  const result = await growth({ keys, sizes: [2_000], samples: 5, newDatabase });
  expect(result.rows).toHaveLength(1);
  // The plan's shape at 2,000 rows is the planner's call; the db package's plan test and the full
  // run's million rows are where the index walk is checked.
  expect(result.queryPlan.slice(1).join('\n')).toMatch(/^Limit/);
});

it('runs one replica against two', async () => {
  const result = await postgresReplicas({ keys, newDatabase, rounds: 1, seconds: 1, connections: 4 });
  expect(result.non2xx).toBe(0);
  expect(result.twoReplicasPerSecond).toBeGreaterThan(0);
});

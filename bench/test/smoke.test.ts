import { expect, it } from 'vitest';
import { newBenchKeys } from '../src/lib/environments';
import { growth } from '../src/suites/growth';
import { readPath } from '../src/suites/read-path';
import { startup } from '../src/suites/startup';
import { webhookIngestion } from '../src/suites/webhook-ingestion';

// Keeps `pnpm bench` from rotting: every suite runs briefly against the real API and its floor,
// and every request must succeed. No timing is asserted; that is what `pnpm bench` reports.
const keys = newBenchKeys();

it('runs the start-up suite: the build and the source both start and answer /healthz', async () => {
  const result = await startup({ keys, rounds: 1, idleSeconds: 0 });
  for (const side of [result.build, result.source]) {
    expect(side.startMs).toHaveLength(1);
    expect(side.medianIdleRssMiB).toBeGreaterThan(0);
  }
});

it('runs the read-path suite: the API, the API without metrics and the floor answer every request', async () => {
  const result = await readPath({ keys, rounds: 1, seconds: 1, connections: 4 });
  expect(result.api.non2xx).toBe(0);
  expect(result.apiMetricsOff.non2xx).toBe(0);
  expect(result.floor.non2xx).toBe(0);
  expect(result.api.medianPerSecond).toBeGreaterThan(0);
  expect(result.apiMetricsOff.medianPerSecond).toBeGreaterThan(0);
  expect(result.floor.medianPerSecond).toBeGreaterThan(0);
});

it('runs the ingestion suite: every signed delivery is acknowledged', async () => {
  const result = await webhookIngestion({ keys, rounds: 1, seconds: 1, connections: 4 });
  expect(result.api.non2xx).toBe(0);
  expect(result.floor.non2xx).toBe(0);
});

it('runs the growth suite and reads the plan of the real list statement', async () => {
  const result = await growth({ keys, sizes: [2_000], samples: 5 });
  expect(result.rows).toHaveLength(1);
  expect(result.queryPlan.join('\n')).toMatch(/SEARCH expectations USING INTEGER PRIMARY KEY/);
  expect(result.queryPlan.join('\n')).not.toMatch(/SCAN|TEMP B-TREE/);
});

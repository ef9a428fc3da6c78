import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { newBenchKeys } from '../src/lib/environments';
import { baselineApi, repoRoot } from '../src/lib/processes';
import { cpuPerRequestTable, readPathTable } from '../src/report-tables';
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

it('runs the read-path suite: the API, the API without metrics, the floor, a baseline build and its own floor answer every request', async () => {
  // The baseline is this checkout's own build, started by its absolute path as another checkout's would be.
  const result = await readPath({ keys, rounds: 1, seconds: 1, connections: 4, baseline: baselineApi(repoRoot) });
  expect(result.api.non2xx).toBe(0);
  expect(result.apiMetricsOff.non2xx).toBe(0);
  expect(result.floor.non2xx).toBe(0);
  expect(result.baseline?.non2xx).toBe(0);
  expect(result.api.medianPerSecond).toBeGreaterThan(0);
  expect(result.apiMetricsOff.medianPerSecond).toBeGreaterThan(0);
  expect(result.floor.medianPerSecond).toBeGreaterThan(0);
  expect(result.baseline?.medianPerSecond).toBeGreaterThan(0);
  expect(result.baseline?.floor?.non2xx).toBe(0);
  expect(result.baseline?.floor?.medianPerSecond).toBeGreaterThan(0);
  const label = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  expect(result.baseline?.label).toBe(label);
  expect(readPathTable(result).join('\n')).toContain(`| **${label}'s API ÷ its floor** |`);
  expect(readPathTable(result).join('\n')).toContain(`| floor of ${label} |`);
  expect(cpuPerRequestTable(result).join('\n')).toContain(`| API, build of ${label} |`);
  expect(cpuPerRequestTable(result).join('\n')).toContain(`| floor of ${label} |`);
});

it('refuses a baseline checkout whose API is not built, naming the path and what to run', () => {
  const checkout = mkdtempSync(join(tmpdir(), 'expectations-bench-unbuilt-'));
  try {
    expect(() => baselineApi(checkout)).toThrow(`--baseline ${checkout}: ${checkout}/apps/api/dist/main.js is missing; run \`pnpm build\` in ${checkout} first`);
  } finally {
    rmSync(checkout, { recursive: true });
  }
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

/**
 * `pnpm bench [--quick] [--cpu-prof] [--only sqlite|postgres]`: measures the read path and webhook
 * ingestion against frameworkless floors, side by side in one run, on SQLite and then on a
 * throwaway PostgreSQL server, and writes docs/benchmarks.md and docs/benchmarks.json. `--quick`
 * runs every suite briefly (a smoke run) and writes nothing unless `--write` is given.
 * `--cpu-prof` also writes the API's CPU profile of the read path. `--only` runs one engine's
 * suites and keeps the other's figures from the saved JSON. `--render` only re-renders the
 * Markdown from the saved JSON.
 */
import { cpus, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newBenchKeys } from './lib/environments';
import { repoRoot } from './lib/processes';
import { renderReport, type BenchReport } from './report';
import { withPostgres } from './lib/postgres';
import { growth } from './suites/growth';
import { postgresSuites } from './suites/postgres';
import { readPath } from './suites/read-path';
import { spaBundle } from './suites/spa-bundle';
import { webhookIngestion } from './suites/webhook-ingestion';

if (process.argv.includes('--render')) {
  // Re-renders docs/benchmarks.md from docs/benchmarks.json, for changes to the report's text.
  const saved = JSON.parse(readFileSync(join(repoRoot, 'docs/benchmarks.json'), 'utf8')) as BenchReport;
  writeFileSync(join(repoRoot, 'docs/benchmarks.md'), renderReport(saved));
  console.log('rendered docs/benchmarks.md from docs/benchmarks.json');
  process.exit(0);
}

const quick = process.argv.includes('--quick');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
if (only !== undefined && only !== 'sqlite' && only !== 'postgres') {
  console.error('--only takes sqlite or postgres');
  process.exit(64);
}
const saved = only ? (JSON.parse(readFileSync(join(repoRoot, 'docs/benchmarks.json'), 'utf8')) as BenchReport) : undefined;
const write = !quick || process.argv.includes('--write');
const cpuProfileDir = process.argv.includes('--cpu-prof') ? join(repoRoot, 'bench/profiles') : undefined;
const keys = newBenchKeys();
if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true });

// With --only postgres, the heading keeps describing the SQLite run whose figures it keeps; the
// PostgreSQL section carries its own date and command.
const keptHeading = only === 'postgres' && saved ? { date: saved.date, mode: saved.mode, command: saved.command, machine: saved.machine } : {};
const report: BenchReport = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  command: quick ? 'pnpm bench --quick' : 'pnpm bench',
  ...keptHeading,
  // Keep the figures of the engine not measured this time.
  suites: only === 'postgres' ? { ...saved?.suites, postgres: undefined } : only === 'sqlite' ? { postgres: saved?.suites.postgres } : {},
};

function check(name: string, side: { non2xx: number }) {
  // A benchmark of error responses measures nothing: refuse to report it.
  if (side.non2xx > 0) throw new Error(`${name}: ${side.non2xx} requests failed; the numbers would be meaningless`);
}

if (only !== 'postgres') {
  console.log('read path: API vs floor…');
  const read = await readPath({ keys, rounds: quick ? 2 : 6, seconds: quick ? 2 : 8, connections: 16, ...(cpuProfileDir ? { cpuProfileDir } : {}) });
  check('read path API', read.api);
  check('read path floor', read.floor);
  report.suites.readPath = read;
  console.log(JSON.stringify(read));

  console.log('webhook ingestion: API vs floor…');
  const ingestion = await webhookIngestion({ keys, rounds: quick ? 2 : 6, seconds: quick ? 2 : 8, connections: 16 });
  check('ingestion API', ingestion.api);
  check('ingestion floor', ingestion.floor);
  report.suites.webhookIngestion = ingestion;
  console.log(JSON.stringify(ingestion));

  console.log('growth…');
  report.suites.growth = await growth({ keys, sizes: quick ? [10_000] : [10_000, 100_000, 1_000_000], samples: quick ? 100 : 1000 });
  console.log(JSON.stringify(report.suites.growth.rows));

  console.log('SPA bundle…');
  report.suites.spaBundle = spaBundle();
  console.log(JSON.stringify({ initialGzipKiB: report.suites.spaBundle.initialGzipKiB, totalGzipKiB: report.suites.spaBundle.totalGzipKiB }));
}

if (only !== 'sqlite') {
  console.log('PostgreSQL: drivers, read path, ingestion, growth, replicas…');
  report.suites.postgres = await withPostgres((server) => postgresSuites({ server, keys, quick, check }));
}

if (write) {
  writeFileSync(join(repoRoot, 'docs/benchmarks.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(repoRoot, 'docs/benchmarks.md'), renderReport(report));
  console.log('wrote docs/benchmarks.md and docs/benchmarks.json');
}

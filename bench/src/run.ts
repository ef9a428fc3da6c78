/**
 * `pnpm bench [--quick] [--cpu-prof]`: builds the API, then measures its start-up (build against
 * TypeScript source), the read path and webhook ingestion against frameworkless floors, side by
 * side in one run, and writes docs/benchmarks.md and
 * docs/benchmarks.json. `--quick` runs every suite briefly (a smoke run) and writes nothing
 * unless `--write` is given. `--cpu-prof` also writes the API's CPU profile of the read path.
 * `--render` only re-renders the Markdown from the saved JSON. `--only read-path` re-measures
 * that one suite and keeps the others from the saved JSON.
 */
import { cpus, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newBenchKeys } from './lib/environments';
import { buildApi, repoRoot } from './lib/processes';
import { renderReport, type BenchReport } from './report';
import { growth } from './suites/growth';
import { readPath } from './suites/read-path';
import { spaBundle } from './suites/spa-bundle';
import { startup } from './suites/startup';
import { webhookIngestion } from './suites/webhook-ingestion';

if (process.argv.includes('--render')) {
  // Re-renders docs/benchmarks.md from docs/benchmarks.json, for changes to the report's text.
  const saved = JSON.parse(readFileSync(join(repoRoot, 'docs/benchmarks.json'), 'utf8')) as BenchReport;
  writeFileSync(join(repoRoot, 'docs/benchmarks.md'), renderReport(saved));
  console.log('rendered docs/benchmarks.md from docs/benchmarks.json');
  process.exit(0);
}

if (process.argv.includes('--only')) {
  const suite = process.argv[process.argv.indexOf('--only') + 1];
  if (suite !== 'read-path') throw new Error(`--only takes read-path, not ${suite ?? 'nothing'}`);
  const saved = JSON.parse(readFileSync(join(repoRoot, 'docs/benchmarks.json'), 'utf8')) as BenchReport;
  console.log('read path: API vs floor, and metrics on vs off…');
  const read = await readPath({ keys: newBenchKeys(), rounds: 6, seconds: 8, connections: 16 });
  for (const side of ['api', 'apiMetricsOff', 'floor'] as const) {
    if (read[side].non2xx > 0) throw new Error(`read path ${side}: ${read[side].non2xx} requests failed; the numbers would be meaningless`);
  }
  saved.suites.readPath = { ...read, measuredAt: new Date().toISOString() };
  console.log(JSON.stringify(saved.suites.readPath));
  writeFileSync(join(repoRoot, 'docs/benchmarks.json'), `${JSON.stringify(saved, null, 2)}\n`);
  writeFileSync(join(repoRoot, 'docs/benchmarks.md'), renderReport(saved));
  console.log('wrote docs/benchmarks.md and docs/benchmarks.json');
  process.exit(0);
}

const quick = process.argv.includes('--quick');
const write = !quick || process.argv.includes('--write');
const cpuProfileDir = process.argv.includes('--cpu-prof') ? join(repoRoot, 'bench/profiles') : undefined;
const keys = newBenchKeys();
if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true });

const report: BenchReport = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  command: quick ? 'pnpm bench --quick' : 'pnpm bench',
  suites: {},
};

function check(name: string, side: { non2xx: number }) {
  // A benchmark of error responses measures nothing: refuse to report it.
  if (side.non2xx > 0) throw new Error(`${name}: ${side.non2xx} requests failed; the numbers would be meaningless`);
}

console.log('building the API…');
buildApi();

console.log('start-up: build vs TypeScript source…');
report.suites.startup = await startup({ keys, rounds: quick ? 2 : 10, idleSeconds: quick ? 1 : 3 });
console.log(JSON.stringify({ build: report.suites.startup.build, source: report.suites.startup.source }));

console.log('read path: API vs floor…');
const read = await readPath({ keys, rounds: quick ? 2 : 6, seconds: quick ? 2 : 8, connections: 16, ...(cpuProfileDir ? { cpuProfileDir } : {}) });
check('read path API', read.api);
check('read path API, metrics off', read.apiMetricsOff);
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

if (write) {
  writeFileSync(join(repoRoot, 'docs/benchmarks.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(repoRoot, 'docs/benchmarks.md'), renderReport(report));
  console.log('wrote docs/benchmarks.md and docs/benchmarks.json');
}

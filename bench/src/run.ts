/**
 * `pnpm bench [--quick] [--cpu-prof] [--only sqlite|postgres|read-path|spa-bundle|feed-first-paint|live-feed] [--baseline <checkout>]
 * [--spa-checkout <checkout> | --as-baseline]`: builds the API, then
 * measures on SQLite, and then on a throwaway PostgreSQL server, its start-up (build against
 * TypeScript source), the read path and webhook ingestion against frameworkless floors side by
 * side, and the list query as the table grows; writes docs/benchmarks.md and docs/benchmarks.json.
 * `--quick` runs every suite briefly (a smoke run) and writes nothing unless `--write` is given.
 * `--cpu-prof` also writes the API's CPU profile of the read path. `--only sqlite` or `--only
 * postgres` runs one engine's suites and keeps the other's figures from the saved JSON; `--only
 * read-path` re-measures the read path on both engines and keeps everything else; `--only
 * spa-bundle` re-measures the SPA's bundle alone. `--baseline <checkout>`, with `--only read-path`,
 * runs another checkout's API build (`<checkout>/apps/api/dist/main.js`, made by `pnpm build`
 * there) and that checkout's own floor as two more sides of the read path on both engines,
 * labelled with its commit: a before and after measured side by side. `--only feed-first-paint`
 * times the feed's first paint in headless Chromium (1× and 4× CPU, first and repeat visit) and
 * keeps everything else; with `--as-baseline`
 * the run is kept as the baseline that later runs are shown beside; with `--spa-checkout
 * <checkout>`, that checkout's SPA (its apps/web, built and served the same way) is the baseline,
 * measured beside this one's in alternating turns, under the same load. `--only live-feed` opens
 * 1,000 live-feed subscriptions on one API process, on each engine, and keeps everything else. `--render` only
 * re-renders the Markdown from the saved JSON.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { newBenchKeys } from './lib/environments';
import { baselineApi, buildApi, repoRoot, type BaselineApi } from './lib/processes';
import { renderReport, type BenchReport } from './report';
import { newPostgresDatabase, withPostgres } from './lib/postgres';
import { feedFirstPaint, waterfallLines, type FeedFirstPaintResult } from './suites/feed-first-paint';
import { liveFeed } from './suites/live-feed';
import type { LiveFeedReport } from './report-live-feed';
import { growth } from './suites/growth';
import { postgresSuites } from './suites/postgres';
import { readPath, type ReadPathResult } from './suites/read-path';
import { spaBundle } from './suites/spa-bundle';
import { startup } from './suites/startup';
import { webhookIngestion } from './suites/webhook-ingestion';

/** Writes the report as docs/benchmarks.json and its rendering as docs/benchmarks.md. */
function saveReport(report: BenchReport): void {
  writeFileSync(join(repoRoot, 'docs/benchmarks.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(repoRoot, 'docs/benchmarks.md'), renderReport(report));
  console.log('wrote docs/benchmarks.md and docs/benchmarks.json');
}

if (process.argv.includes('--render')) {
  // Re-renders docs/benchmarks.md from docs/benchmarks.json, for changes to the report's text.
  const saved = JSON.parse(readFileSync(join(repoRoot, 'docs/benchmarks.json'), 'utf8')) as BenchReport;
  writeFileSync(join(repoRoot, 'docs/benchmarks.md'), renderReport(saved));
  console.log('rendered docs/benchmarks.md from docs/benchmarks.json');
  process.exit(0);
}

const quick = process.argv.includes('--quick');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const onlyChoices = ['sqlite', 'postgres', 'read-path', 'spa-bundle', 'feed-first-paint', 'live-feed'];
if (only !== undefined && !onlyChoices.includes(only)) {
  console.error(`--only takes ${onlyChoices.join(', ')}`);
  process.exit(64);
}
const asBaseline = process.argv.includes('--as-baseline');
// Relative to where `pnpm bench` was typed, not to bench/, where pnpm runs this script.
const spaCheckoutArg = process.argv.includes('--spa-checkout') ? process.argv[process.argv.indexOf('--spa-checkout') + 1] : undefined;
const spaCheckout = spaCheckoutArg ? resolve(process.env.INIT_CWD ?? process.cwd(), spaCheckoutArg) : undefined;
if (spaCheckoutArg !== undefined && (only !== 'feed-first-paint' || spaCheckoutArg.startsWith('--'))) {
  console.error('--spa-checkout takes the path of another checkout, and goes with --only feed-first-paint');
  process.exit(64);
}
let baseline: BaselineApi | undefined;
if (process.argv.includes('--baseline')) {
  const checkout = process.argv[process.argv.indexOf('--baseline') + 1];
  if (only !== 'read-path' || !checkout || checkout.startsWith('--')) {
    console.error('--baseline takes the path of another checkout, and goes with --only read-path');
    process.exit(64);
  }
  try {
    // Relative to where `pnpm bench` was typed, not to bench/, where pnpm runs this script.
    baseline = baselineApi(resolve(process.env.INIT_CWD ?? process.cwd(), checkout));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(64);
  }
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

function checkReadPath(name: string, read: ReadPathResult) {
  check(`${name} API`, read.api);
  check(`${name} API, metrics off`, read.apiMetricsOff);
  check(`${name} floor`, read.floor);
  if (read.baseline) check(`${name} API, build of ${read.baseline.label}`, read.baseline);
  if (read.baseline?.floor) check(`${name} floor of ${read.baseline.label}`, read.baseline.floor);
}

/** `--only read-path`: the read path on both engines again, everything else kept from the saved JSON. */
async function remeasureReadPaths(saved: BenchReport): Promise<void> {
  const options = { keys, rounds: 6, seconds: 8, connections: 16, ...(cpuProfileDir ? { cpuProfileDir } : {}), ...(baseline ? { baseline } : {}) };
  const against = baseline ? `, and the build of ${baseline.label}` : '';
  console.log(`read path on SQLite: API vs floor, and metrics on vs off${against}…`);
  const read = await readPath(options);
  checkReadPath('read path', read);
  saved.suites.readPath = { ...read, measuredAt: new Date().toISOString() };
  console.log(JSON.stringify(saved.suites.readPath));
  if (saved.suites.postgres) {
    const postgres = saved.suites.postgres;
    console.log(`read path on PostgreSQL: API vs floor, and metrics on vs off${against}…`);
    const pgRead = await withPostgres((server) => readPath({ ...options, newDatabase: () => newPostgresDatabase(server) }));
    checkReadPath('postgres read path', pgRead);
    postgres.readPath = { ...pgRead, measuredAt: new Date().toISOString() };
    console.log(JSON.stringify(postgres.readPath));
  }
  saveReport(saved);
}

if (only === 'spa-bundle') {
  // The SPA's bundle needs neither the API nor a database: re-measure it, keep everything else.
  console.log('SPA bundle…');
  saved!.suites.spaBundle = { ...spaBundle(), measuredAt: new Date().toISOString() };
  console.log(JSON.stringify({ initialGzipKiB: saved!.suites.spaBundle.initialGzipKiB, totalGzipKiB: saved!.suites.spaBundle.totalGzipKiB }));
  saveReport(saved!);
  process.exit(0);
}

/**
 * Times the feed's first paint: beside another checkout's SPA (`--spa-checkout`, the baseline), or
 * alone as the baseline (`--as-baseline`), or alone as the latest run beside the kept baseline.
 */
async function measureFeedFirstPaint(kept: FeedFirstPaintResult | undefined): Promise<FeedFirstPaintResult> {
  console.log('feed first paint in Chromium: 1× and 4× CPU, first and repeat visit…');
  const measured = await feedFirstPaint({ rounds: quick ? 1 : 7, ...(spaCheckout ? { baselineCheckout: spaCheckout } : {}) });
  for (const [side, run] of [['before', measured.baseline], ['after', measured.latest]] as const) {
    if (!run) continue;
    for (const cell of run.cells) console.log(`${side}: ${cell.cpuThrottle}× ${cell.visit} visit: median ${cell.medianMs} ms (${cell.minMs}–${cell.maxMs})`);
    for (const waterfall of run.waterfalls.filter((candidate) => candidate.cpuThrottle === 4)) {
      console.log(`${side}: waterfall, 4× ${waterfall.visit} visit:`);
      for (const line of waterfallLines(waterfall)) console.log(`  ${line}`);
    }
  }
  if (spaCheckout) return measured;
  return asBaseline ? { baseline: measured.latest } : { baseline: kept?.baseline, latest: measured.latest };
}

/** 1,000 open feed.changes streams (100 with --quick) on one API process, on each engine. */
async function measureLiveFeed(): Promise<LiveFeedReport> {
  const run = { keys, subscriptions: quick ? 100 : 1000, changes: quick ? 5 : 50 };
  console.log(`live feed: ${run.subscriptions} open subscriptions on SQLite, then PostgreSQL…`);
  const sqlite = await liveFeed(run);
  console.log(JSON.stringify(sqlite));
  const postgres = await withPostgres((server) => liveFeed({ ...run, engine: 'postgres', newDatabase: () => newPostgresDatabase(server) }));
  console.log(JSON.stringify(postgres));
  return { sqlite, postgres, measuredAt: new Date().toISOString(), loadAverage: loadavg() };
}

console.log('building the API…');
buildApi();

if (only === 'live-feed') {
  saved!.suites.liveFeed = await measureLiveFeed();
  if (write) {
    saveReport(saved!);
  }
  process.exit(0);
}

if (only === 'feed-first-paint') {
  saved!.suites.feedFirstPaint = await measureFeedFirstPaint(saved!.suites.feedFirstPaint);
  if (write) {
    saveReport(saved!);
  }
  process.exit(0);
}

if (only === 'read-path') {
  await remeasureReadPaths(saved!);
  process.exit(0);
}

if (only !== 'postgres') {
  console.log('start-up: build vs TypeScript source…');
  report.suites.startup = await startup({ keys, rounds: quick ? 2 : 10, idleSeconds: quick ? 1 : 3 });
  console.log(JSON.stringify({ build: report.suites.startup.build, source: report.suites.startup.source }));

  console.log('read path: API vs floor…');
  const read = await readPath({ keys, rounds: quick ? 2 : 6, seconds: quick ? 2 : 8, connections: 16, ...(cpuProfileDir ? { cpuProfileDir } : {}) });
  checkReadPath('read path', read);
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

  // A full run keeps the saved baseline of the first paint: it is measured on an older checkout.
  const savedReport = join(repoRoot, 'docs/benchmarks.json');
  const kept = existsSync(savedReport) ? (JSON.parse(readFileSync(savedReport, 'utf8')) as BenchReport).suites.feedFirstPaint : undefined;
  report.suites.feedFirstPaint = await measureFeedFirstPaint(kept);
}

if (only !== 'sqlite') {
  console.log('PostgreSQL: drivers, read path, ingestion, growth, replicas…');
  report.suites.postgres = await withPostgres((server) => postgresSuites({ server, keys, quick, check }));
}

if (only === undefined) report.suites.liveFeed = await measureLiveFeed();

if (write) {
  saveReport(report);
}

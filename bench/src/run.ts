/**
 * `pnpm bench [--quick]`: measures the read path and webhook ingestion against frameworkless
 * floors, side by side in one run, and writes docs/benchmarks.md and docs/benchmarks.json.
 * `--quick` runs every suite briefly (a smoke run) and writes nothing unless `--write` is given.
 */
import { cpus, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newSigningSecret } from './lib/deliveries';
import { generateSessionKeys } from './lib/environments';
import { repoRoot } from './lib/processes';
import { renderReport, type BenchReport } from './report';
import { growth } from './suites/growth';
import { webhookIngestion } from './suites/webhook-ingestion';

const quick = process.argv.includes('--quick');
const write = !quick || process.argv.includes('--write');
const keys = { ...generateSessionKeys(), signingSecret: newSigningSecret() };

const report: BenchReport = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  command: quick ? 'pnpm bench --quick' : 'pnpm bench',
  suites: {},
};

console.log('webhook ingestion…');
report.suites.webhookIngestion = await webhookIngestion({ keys, rounds: quick ? 2 : 6, seconds: quick ? 2 : 8, connections: 16 });
console.log(JSON.stringify(report.suites.webhookIngestion));

console.log('growth…');
report.suites.growth = await growth({ keys, sizes: quick ? [10_000] : [10_000, 100_000, 1_000_000], samples: quick ? 100 : 1000 });
console.log(JSON.stringify(report.suites.growth.rows));

if (write) {
  writeFileSync(join(repoRoot, 'docs/benchmarks.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(repoRoot, 'docs/benchmarks.md'), renderReport(report));
  console.log('wrote docs/benchmarks.md and docs/benchmarks.json');
}

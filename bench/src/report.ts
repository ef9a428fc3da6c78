import type { GrowthResult } from './suites/growth';
import type { IngestionResult } from './suites/webhook-ingestion';

export interface BenchReport {
  date: string;
  mode: 'quick' | 'full';
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  command: string;
  suites: {
    webhookIngestion?: IngestionResult;
    growth?: GrowthResult;
  };
}

const fixed = (value: number, digits = 0) => value.toFixed(digits);

export function renderReport(report: BenchReport): string {
  const lines = [
    '# Benchmarks',
    '',
    `Measured ${report.date.slice(0, 10)} with \`${report.command}\` on ${report.machine.cpus} × ${report.machine.cpuModel}, ` +
      `${report.machine.memoryGiB} GiB, Node ${report.machine.node}. These machines are shared and noisy: read the ratios, ` +
      'which compare runs made side by side in alternating rounds; absolute numbers are context only.',
    '',
  ];
  const ingestion = report.suites.webhookIngestion;
  if (ingestion) {
    lines.push(
      '## Webhook ingestion',
      '',
      `Signed \`user.updated\` deliveries for 1,000 users, durable (\`synchronous=FULL\`, as in production), ${ingestion.connections} ` +
        `connections, ${ingestion.rounds} alternating rounds of ${ingestion.secondsPerRound} s. The floor is node:http + the Svix ` +
        'check + JSON.parse + the same SQLite transaction, with no framework, validation or logging. Goal: ≥ 1,000/s.',
      '',
      '| | deliveries/s (median) | p50 ms | p99 ms | non-2xx |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| API | ${fixed(ingestion.api.medianPerSecond)} | ${ingestion.api.medianP50Ms} | ${ingestion.api.medianP99Ms} | ${ingestion.api.non2xx} |`,
      `| floor | ${fixed(ingestion.floor.medianPerSecond)} | ${ingestion.floor.medianP50Ms} | ${ingestion.floor.medianP99Ms} | ${ingestion.floor.non2xx} |`,
      `| **API ÷ floor** | **${fixed(ingestion.ratio, 2)}** | | | |`,
      '',
    );
  }
  const growth = report.suites.growth;
  if (growth) {
    lines.push(
      '## How the read path grows',
      '',
      `Median latency of the \`expectations.list\` query (a page of ${growth.pageSize} with both user joins, called in-process ` +
        `through the db package) as the table grows, with ${growth.users} users created through signed webhooks. ` +
        'The deep page is the oldest one, reached by keyset cursor. Goals: deep ÷ first ≤ 1.1 at every size; ' +
        'largest ÷ smallest first page ≤ 1.5.',
      '',
      '| expectations | first page ms | deep page ms | deep ÷ first | by author: first ms | by author: deep ms |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      ...growth.rows.map(
        (row) =>
          `| ${row.expectations.toLocaleString('en')} | ${fixed(row.firstPageMs, 3)} | ${fixed(row.deepPageMs, 3)} | ` +
          `${fixed(row.deepOverFirst, 2)} | ${fixed(row.authorFirstPageMs, 3)} | ${fixed(row.authorDeepPageMs, 3)} |`,
      ),
      '',
      `First page, largest ÷ smallest table: **${fixed(growth.firstPageLargestOverSmallest, 2)}**.`,
      '',
      '`EXPLAIN QUERY PLAN` of the deep-page statement (no full scan, no temporary B-tree):',
      '',
      '```',
      ...growth.queryPlan.slice(1),
      '```',
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}

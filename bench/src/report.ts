import type { IngestionResult } from './suites/webhook-ingestion';

export interface BenchReport {
  date: string;
  mode: 'quick' | 'full';
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  command: string;
  suites: {
    webhookIngestion?: IngestionResult;
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
  return `${lines.join('\n')}\n`;
}

import type { LiveFeedResult } from './suites/live-feed';

export interface LiveFeedReport {
  sqlite?: LiveFeedResult;
  postgres?: LiveFeedResult;
  measuredAt: string;
  loadAverage: number[];
}

const thousands = (value: number) => value.toLocaleString('en-US');

/** Open feed.changes streams on one API process: memory per idle stream and delivery latency, docs/benchmarks.md. */
export function renderLiveFeedSection(report: LiveFeedReport): string[] {
  const results = [report.sqlite, report.postgres].filter((result): result is LiveFeedResult => result !== undefined);
  const first = results[0];
  if (!first) return [];
  const met = (value: number, goal: number) => (value <= goal ? `**${value}** (met)` : `**${value}** (not met)`);
  return [
    '## Live feed: open subscriptions on one API process',
    '',
    `\`pnpm bench --only live-feed\`, ${report.measuredAt.slice(0, 10)} (load average ${report.loadAverage.map((value) => value.toFixed(1)).join(' / ')}): ` +
      `one API process (the production build), one team of 100 users, ${thousands(first.subscriptions)} \`feed.changes\` streams ` +
      'opened with session tokens and read by a minimal SSE reader in the bench process, then changes made one after another ' +
      'through `expectations.create`, each awaited at every stream. Latency runs from sending the mutation to the event\'s arrival ' +
      '(the mutation\'s own round trip included). Memory per idle stream is what the API holds with every stream open and idle, ' +
      'less before they opened: its V8 heap and external memory after a full garbage collection (a bench-only preload, ' +
      'bench/src/lib/heap-probe.mjs, collects on a signal), and its resident set (RSS, where garbage not yet collected and ' +
      'native buffers count too: an upper bound). How it works: [live-feed.md](live-feed.md).',
    '',
    '| engine | streams | changes × streams | duplicates | p50 ms | p90 ms | p99 ms (goal ≤ 250) | max ms | heap KiB per idle stream (goal ≤ 20) | RSS KiB per idle stream | heap before → open | RSS before → open |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (result) =>
        `| ${result.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${thousands(result.subscriptions)} | ${thousands(result.deliveries)} | ${result.duplicates} | ` +
        `${result.latencyMs.p50} | ${result.latencyMs.p90} | ${met(result.latencyMs.p99, result.goals.p99Ms)} | ${result.latencyMs.max} | ` +
        `${met(result.kibPerIdleSubscription, result.goals.kibPerIdleSubscription)} | ${result.rssKibPerIdleSubscription} | ` +
        `${result.heapBeforeMiB} → ${result.heapOpenMiB} MiB | ${result.rssBeforeMiB} → ${result.rssOpenMiB} MiB |`,
    ),
    '',
  ];
}

import type { ReadPathResult } from './suites/read-path';
import type { StartupResult } from './suites/startup';

// Tables that the SQLite and the PostgreSQL sections of docs/benchmarks.md both print.

export const fixed = (value: number, digits = 0) => value.toFixed(digits);

/** The name of the row of another checkout's build, measured beside this one's (`--baseline`). */
const baselineRow = (label: string) => `API, build of ${label}`;
/** The row of that checkout's own floor, which runs that build's list statement. */
const baselineFloorRow = (label: string) => `floor of ${label}`;

/** The read path's three sides (five with a baseline and its floor) and their ratios (both engines' sections). */
export function readPathTable(read: ReadPathResult): string[] {
  const { baseline } = read;
  return [
    '| | requests/s (median) | p50 ms | p99 ms | non-2xx | peak RSS MiB |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| API | ${fixed(read.api.medianPerSecond)} | ${read.api.medianP50Ms} | ${read.api.medianP99Ms} | ${read.api.non2xx} | ${fixed(read.apiPeakRssMiB)} |`,
    ...(read.apiMetricsOff
      ? [`| API, \`METRICS=off\` | ${fixed(read.apiMetricsOff.medianPerSecond)} | ${read.apiMetricsOff.medianP50Ms} | ${read.apiMetricsOff.medianP99Ms} | ${read.apiMetricsOff.non2xx} | |`]
      : []),
    ...(baseline
      ? [`| ${baselineRow(baseline.label)} | ${fixed(baseline.medianPerSecond)} | ${baseline.medianP50Ms} | ${baseline.medianP99Ms} | ${baseline.non2xx} | ${fixed(baseline.peakRssMiB)} |`]
      : []),
    `| floor | ${fixed(read.floor.medianPerSecond)} | ${read.floor.medianP50Ms} | ${read.floor.medianP99Ms} | ${read.floor.non2xx} | ${fixed(read.floorPeakRssMiB)} |`,
    ...(baseline?.floor
      ? [`| ${baselineFloorRow(baseline.label)} | ${fixed(baseline.floor.medianPerSecond)} | ${baseline.floor.medianP50Ms} | ${baseline.floor.medianP99Ms} | ${baseline.floor.non2xx} | |`]
      : []),
    `| **API ÷ floor** | **${fixed(read.ratio, 2)}** | | | | |`,
    ...(baseline ? [`| **${baseline.label}'s API ÷ ${baseline.floor ? 'its floor' : 'floor'}** | **${fixed(baseline.ratio, 2)}** | | | | |`] : []),
    ...(read.metricsRatio === undefined ? [] : [`| **API ÷ API with \`METRICS=off\`** | **${fixed(read.metricsRatio, 2)}** | | | | |`]),
  ];
}

const roundByRound = (ratios: number[]) => ratios.map((ratio) => fixed(ratio, 3)).join(', ');

/** CPU time per request of each side, and the metrics' share round by round. */
export function cpuPerRequestTable(read: ReadPathResult): string[] {
  if (!read.cpuMicrosPerRequest) return [];
  const { baseline } = read;
  return [
    '| | CPU µs per request (median) |',
    '| --- | ---: |',
    `| API | ${fixed(read.cpuMicrosPerRequest.api)} |`,
    `| API, \`METRICS=off\` | ${fixed(read.cpuMicrosPerRequest.apiMetricsOff)} |`,
    ...(baseline ? [`| ${baselineRow(baseline.label)} | ${fixed(baseline.cpuMicrosPerRequest)} |`] : []),
    `| floor | ${fixed(read.cpuMicrosPerRequest.floor)} |`,
    ...(baseline?.floor ? [`| ${baselineFloorRow(baseline.label)} | ${fixed(baseline.floor.cpuMicrosPerRequest)} |`] : []),
    '',
    `API ÷ API with \`METRICS=off\`, CPU per request, round by round: ${roundByRound(read.metricsCpuRoundRatios)}.`,
  ];
}

/** What the baseline's rows are, for the paragraph under each engine's read-path tables. */
export function baselineParagraph(read: ReadPathResult): string[] {
  const { baseline } = read;
  if (!baseline) return [];
  return [
    `The row "${baselineRow(baseline.label)}" is the API built from another checkout, at ${baseline.label} ` +
      '(`pnpm bench --only read-path --baseline <checkout>`): started with the same environment on the same database, ' +
      'scraped as the API row is, and taking its turn in the same rounds. ' +
      (baseline.floor
        ? `So does "${baselineFloorRow(baseline.label)}", that checkout's own floor, which runs that build's list statement: ` +
          'each build is divided by the floor of its own SQL, since a statement that costs the database more slows both alike. '
        : '') +
      `API ÷ floor ${fixed(read.ratio, 2)} for this build against ${fixed(baseline.ratio, 2)} for ${baseline.label}'s; CPU per request ` +
      `${fixed(read.cpuMicrosPerRequest.api)} µs against ${fixed(baseline.cpuMicrosPerRequest)} µs, and round by round this ` +
      `build's CPU per request ÷ ${baseline.label}'s: ${roundByRound(baseline.cpuRoundRatios)}.`,
    '',
  ];
}

/** The API's start-up, build against TypeScript source (both engines' sections). */
export function startupTable(startup: StartupResult): string[] {
  const row = (name: string, side: StartupResult['build']) =>
    `| ${name} | \`${side.command}\` | ${fixed(side.medianStartMs)} | ${fixed(Math.min(...side.startMs))}–${fixed(Math.max(...side.startMs))} | ${fixed(side.medianIdleRssMiB, 1)} |`;
  return [
    '| | command | start ms (median) | start ms (range) | idle RSS MiB (median) |',
    '| --- | --- | ---: | ---: | ---: |',
    row('build (now)', startup.build),
    row('source (before)', startup.source),
    `| **build ÷ source** | | **${fixed(startup.build.medianStartMs / startup.source.medianStartMs, 2)}** | | **${fixed(startup.build.medianIdleRssMiB / startup.source.medianIdleRssMiB, 2)}** |`,
  ];
}

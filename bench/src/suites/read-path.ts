import { loadavg } from 'node:os';
import { mintSessionToken } from '@expectations/api/testing';
import { openDatabase } from '@expectations/db';
import { sqlRows } from '@expectations/db/testing';
import { apiEnv, newSqliteDatabase, WEB_ORIGIN, type BenchKeys, type NewDatabase } from '../lib/environments';
import { median, runLoad, sideBySide, type LoadSummary } from '../lib/load';
import { API_ENTRY, READ_FLOOR_ENTRY, startServer, type BaselineApi, type ServerProcess } from '../lib/processes';
import { benchUserId } from '../lib/deliveries';
import { benchTeamId, bulkInsertExpectations, seedTeamsThroughWebhooks, seedUsersThroughWebhooks, teamOfUser, teamsOfUsers } from '../lib/seed';

/** Another checkout's API build, run as the API is (same environment, scraped) in the same rounds. */
export interface BaselineSide extends LoadSummary {
  /** Its commit, short. */
  label: string;
  /** Its API ÷ its own floor (or, for a checkout without one, this build's floor), in requests/s. */
  ratio: number;
  /** That checkout's own floor, running its build's list statement, in the same rounds. */
  floor?: LoadSummary & { cpuMicrosPerRequest: number };
  /** Its CPU time per request served (median over rounds), in microseconds. */
  cpuMicrosPerRequest: number;
  /** This build's API ÷ the baseline's, in CPU per request, round by round: below 1, this build costs less. */
  cpuRoundRatios: number[];
  peakRssMiB: number;
}

export interface ReadPathResult {
  expectations: number;
  users: number;
  /** Teams the users and expectations are spread over; every request reads one team's page. */
  teams: number;
  connections: number;
  rounds: number;
  secondsPerRound: number;
  /** The API as deployed: METRICS=on, with /metrics scraped every METRICS_SCRAPE_MS during its rounds. */
  api: LoadSummary;
  /** The same API with METRICS=off: no counting, no /metrics. */
  apiMetricsOff: LoadSummary;
  floor: LoadSummary;
  ratio: number;
  /** API ÷ API with METRICS=off, in requests/s: what the metrics cost the read path. */
  metricsRatio: number;
  /** Each side's CPU time per request served (median over rounds), in microseconds. */
  cpuMicrosPerRequest: { api: number; apiMetricsOff: number; floor: number };
  /** API ÷ API with METRICS=off in CPU per request, round by round: above 1 is what the metrics cost. */
  metricsCpuRoundRatios: number[];
  apiPeakRssMiB: number;
  floorPeakRssMiB: number;
  /** Set when another checkout's build was measured beside this one (`--baseline <checkout>`). */
  baseline?: BaselineSide;
  /** The machine's 1, 5 and 15-minute load averages when the suite started (the machine is shared). */
  loadAverage: number[];
  /** Set when this suite was re-measured alone (`pnpm bench --only read-path`). */
  measuredAt?: string;
}

const USERS = 1000;
const TEAMS = 10;
const EXPECTATIONS = 20_000;
const SIGNED_IN_USERS = 16;
/** Far more often than Prometheus's default 15 s, so that the scrape's own cost shows if it has one. */
const METRICS_SCRAPE_MS = 2000;

/**
 * `GET /trpc/expectations.list` (first page of 20 of the session's active team, both joins, Bearer
 * RS256 token naming the team, of 10 teams) on the real
 * API against the frameworkless floor, and against itself with METRICS=off, in rotating rounds
 * at fixed concurrency; given `baseline`, another checkout's build of the API takes its turn too,
 * as deployed, on the same database, and so does that checkout's own floor.
 */
export async function readPath(options: {
  keys: BenchKeys;
  rounds: number;
  seconds: number;
  connections: number;
  cpuProfileDir?: string;
  newDatabase?: NewDatabase;
  /** Another checkout's API build, run as a fourth side on the same database. */
  baseline?: BaselineApi;
}): Promise<ReadPathResult> {
  const loadAverage = loadavg().map((value) => Math.round(value * 100) / 100);
  const url = await (options.newDatabase ?? newSqliteDatabase)('read');
  const env = apiEnv(url, options.keys);
  // Seeded by a process of its own, so that the two APIs measured start alike, with fresh heaps.
  const seeder = await startServer('api (seeding)', API_ENTRY, env);
  try {
    await seedUsersThroughWebhooks(seeder.url, options.keys.signingSecret, USERS);
    await seedTeamsThroughWebhooks(seeder.url, options.keys.signingSecret, TEAMS, USERS);
  } finally {
    await seeder.stop();
  }
  const db = await openDatabase(url, { migrate: false });
  const userIds = (await sqlRows<{ id: number }>(db, 'SELECT id FROM users ORDER BY id')).map((row) => row.id);
  await bulkInsertExpectations(db, userIds, 0, EXPECTATIONS, await teamsOfUsers(db));
  await db.close();

  const api = await startServer('api', API_ENTRY, env, options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []);
  let floor: ServerProcess | undefined;
  let apiMetricsOff: ServerProcess | undefined;
  let baseline: ServerProcess | undefined;
  let baselineFloor: ServerProcess | undefined;
  try {
    floor = await startServer('floor', READ_FLOOR_ENTRY, env);
    apiMetricsOff = await startServer('api (metrics off)', API_ENTRY, { ...env, METRICS: 'off' });
    if (options.baseline) {
      const { label, entry, floorEntry } = options.baseline;
      baseline = await startServer(`api (build of ${label})`, entry, env);
      if (floorEntry) baselineFloor = await startServer(`floor (of ${label})`, floorEntry, env);
    }

    let scrapeError: unknown;
    const path20 = `/trpc/expectations.list?input=${encodeURIComponent(JSON.stringify({ limit: 20 }))}`;
    const servers = { api, apiMetricsOff, floor, ...(baseline ? { baseline } : {}), ...(baselineFloor ? { baselineFloor } : {}) };
    const cpuPerRequest = { api: [] as number[], apiMetricsOff: [] as number[], floor: [] as number[], baseline: [] as number[], baselineFloor: [] as number[] };
    const { summaries: compared } = await sideBySide(servers, options.rounds, async (side, url) => {
      // Fresh tokens each run: Clerk's expire after a minute.
      // Clerk's v2 session claims, with the user's team active.
      const tokens = Array.from({ length: SIGNED_IN_USERS }, (_, n) =>
        mintSessionToken(
          options.keys.sessionKey,
          { sub: benchUserId(n), azp: WEB_ORIGIN, v: 2, sts: 'active', o: { id: benchTeamId(teamOfUser(n, TEAMS)), rol: 'member', slg: `team-${teamOfUser(n, TEAMS)}` } },
          { ttlSeconds: 600 },
        ),
      );
      let next = 0;
      const nextRequest = () => ({
        method: 'GET' as const,
        path: path20,
        headers: { authorization: `Bearer ${tokens[next++ % tokens.length]}`, origin: WEB_ORIGIN },
      });
      const scraped = side === 'api' || side === 'baseline';
      const scraper = scraped ? setInterval(() => scrapeMetrics(url).catch((error: unknown) => (scrapeError ??= error)), METRICS_SCRAPE_MS) : undefined;
      const server = servers[side]!;
      const cpuBefore = server.cpuSeconds();
      try {
        const result = await runLoad({ url, connections: options.connections, seconds: options.seconds, nextRequest });
        cpuPerRequest[side].push(((server.cpuSeconds() - cpuBefore) * 1e6) / Math.max(result.total, 1));
        return result;
      } finally {
        clearInterval(scraper);
      }
    });
    if (scrapeError) throw scrapeError;
    const { baseline: baselineRuns, baselineFloor: baselineFloorRuns, ...threeSides } = compared;
    return {
      expectations: EXPECTATIONS,
      users: USERS,
      teams: TEAMS,
      connections: options.connections,
      rounds: options.rounds,
      secondsPerRound: options.seconds,
      ...threeSides,
      ratio: compared.api.medianPerSecond / compared.floor.medianPerSecond,
      metricsRatio: compared.api.medianPerSecond / compared.apiMetricsOff.medianPerSecond,
      cpuMicrosPerRequest: {
        api: median(cpuPerRequest.api),
        apiMetricsOff: median(cpuPerRequest.apiMetricsOff),
        floor: median(cpuPerRequest.floor),
      },
      metricsCpuRoundRatios: cpuPerRequest.api.map((micros, round) => micros / cpuPerRequest.apiMetricsOff[round]!),
      apiPeakRssMiB: api.peakRssBytes() / 2 ** 20,
      floorPeakRssMiB: floor.peakRssBytes() / 2 ** 20,
      ...(baseline && baselineRuns
        ? {
            baseline: {
              label: options.baseline!.label,
              ...baselineRuns,
              ratio: baselineRuns.medianPerSecond / (baselineFloorRuns ?? compared.floor).medianPerSecond,
              ...(baselineFloorRuns ? { floor: { ...baselineFloorRuns, cpuMicrosPerRequest: median(cpuPerRequest.baselineFloor) } } : {}),
              cpuMicrosPerRequest: median(cpuPerRequest.baseline),
              cpuRoundRatios: cpuPerRequest.api.map((micros, round) => micros / cpuPerRequest.baseline[round]!),
              peakRssMiB: baseline.peakRssBytes() / 2 ** 20,
            },
          }
        : {}),
      loadAverage,
    };
  } finally {
    await api.stop();
    await floor?.stop();
    await apiMetricsOff?.stop();
    await baseline?.stop();
    await baselineFloor?.stop();
  }
}

async function scrapeMetrics(apiUrl: string): Promise<void> {
  const response = await fetch(`${apiUrl}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status} during the read-path benchmark`);
  await response.text();
}

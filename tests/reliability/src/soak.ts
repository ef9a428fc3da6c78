import { parseArgs } from 'node:util';
import { buildApi } from '@expectations/api/testing';
import { createTempDatabaseUrl, startPostgresServer } from '@expectations/db/testing';
import { detailedReport } from './report';
import { runChaosScenario, type ChaosOptions } from './scenario';

/**
 * `pnpm soak`: the chaos convergence scenario of `pnpm test`, scaled up. Every figure can be set
 * by a flag or an environment variable; the exit code is non-zero on any divergence or 5xx.
 * `--engine postgres` starts a throwaway PostgreSQL server and runs `--replicas` API processes
 * (default 2) on one database of it.
 */
const settings = {
  changes: { flag: 'changes', env: 'SOAK_CHANGES', fallback: 1200, what: 'changes of users, teams and memberships' },
  replicas: { flag: 'replicas', env: 'SOAK_REPLICAS', fallback: 0, what: 'API processes on one database (0: 1 on sqlite, 2 on postgres)' },
  kills: { flag: 'kills', env: 'SOAK_KILLS', fallback: 12, what: 'SIGKILLs of the API mid-stream' },
  readers: { flag: 'readers', env: 'SOAK_READERS', fallback: 3, what: 'reader loops calling expectations.list (personal and team reads by turns)' },
  expectations: { flag: 'expectations', env: 'SOAK_EXPECTATIONS', fallback: 60, what: 'expectations created through the API' },
  seed: { flag: 'seed', env: 'SOAK_SEED', fallback: 7, what: 'seed of the changes and of the faults' },
  changeIntervalMs: { flag: 'interval-ms', env: 'SOAK_INTERVAL_MS', fallback: 20, what: 'pause between two changes' },
  convergenceTimeoutMs: { flag: 'timeout-ms', env: 'SOAK_TIMEOUT_MS', fallback: 120_000, what: 'deadline for delivering everything after the stream' },
} as const;
const DEFAULT_FAULTS = 'duplicate=0.25,drop=0.25,reorder=0.25,delay_ms=50';

class UsageError extends Error {
  override name = 'UsageError';
}

function usage(): string {
  const lines = ['usage: pnpm soak [-- --flag value …]', ''];
  for (const { flag, env, fallback, what } of Object.values(settings)) lines.push(`  --${flag} <n>  (${env}, default ${fallback})  ${what}`);
  lines.push(`  --faults <list>  (SOAK_FAULTS, default ${DEFAULT_FAULTS})  WEBHOOK_FAULTS without the seed`);
  lines.push('  --engine sqlite|postgres  (SOAK_ENGINE, default sqlite)  postgres: a throwaway server started for the run');
  lines.push('  --data-dir <path>  (SOAK_DATA_DIR)  keep the stand-in store and the API database there instead of a temporary folder');
  return lines.join('\n');
}

function parseOptions(argv: string[]): ChaosOptions & { engine: 'sqlite' | 'postgres' } {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(Object.values(settings).map(({ flag }) => [flag, { type: 'string' as const }])),
      faults: { type: 'string' },
      engine: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage());
    process.exit(0);
  }
  const numbers = Object.fromEntries(
    Object.entries(settings).map(([key, { flag, env, fallback }]) => {
      const raw = (values as Record<string, string | boolean | undefined>)[flag] ?? process.env[env];
      if (raw === undefined || raw === '' || typeof raw === 'boolean') return [key, fallback];
      const value = Number(raw);
      if (!Number.isSafeInteger(value) || value < 0) throw new UsageError(`--${flag} (${env}) must be a whole number ≥ 0, got "${raw}"`);
      return [key, value];
    }),
  ) as Record<keyof typeof settings, number>;
  if (numbers.changes < 10) throw new UsageError('--changes must be at least 10');
  if (numbers.readers < 1) throw new UsageError('--readers must be at least 1');
  const engine = values.engine ?? process.env.SOAK_ENGINE ?? 'sqlite';
  if (engine !== 'sqlite' && engine !== 'postgres') throw new UsageError(`--engine (SOAK_ENGINE) must be sqlite or postgres, got "${engine}"`);
  const replicas = numbers.replicas || (engine === 'postgres' ? 2 : 1);
  if (engine === 'sqlite' && replicas > 1) throw new UsageError('--replicas above 1 needs --engine postgres: SQLite serves one API process');
  const workDir = values['data-dir'] ?? process.env.SOAK_DATA_DIR;
  return {
    ...numbers,
    replicas,
    engine,
    faults: values.faults ?? process.env.SOAK_FAULTS ?? DEFAULT_FAULTS,
    ...(workDir ? { workDir } : {}),
    progress: (line) => console.log(`soak: ${line}`),
  };
}

let options: ReturnType<typeof parseOptions>;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage()}`);
  process.exit(64); // EX_USAGE
}

const { progress: _progress, ...shown } = options;
console.log(`soak: ${JSON.stringify(shown)}`);
const server = options.engine === 'postgres' ? await startPostgresServer() : undefined;
let report;
// The production build, as operators run it: every kill is followed by a start.
const api = buildApi();
try {
  const database = server ? await createTempDatabaseUrl({ dialect: 'postgres', postgresServerUrl: server.url }) : undefined;
  report = await runChaosScenario({ ...options, apiMain: api.main, ...(database ? { databaseUrl: database.url } : {}) });
} finally {
  await server?.stop();
  api.remove();
}
console.log(detailedReport(report));
process.exit(report.problems.length === 0 && report.serverErrors === 0 ? 0 : 1);

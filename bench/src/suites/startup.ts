import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiEnv, newSqliteDatabase, type BenchKeys, type NewDatabase } from '../lib/environments';
import { median } from '../lib/load';
import { repoRoot, rssOf } from '../lib/processes';

export interface StartupSide {
  /** How the API was started, from apps/api. */
  command: string;
  /** Spawn to the first 200 from /healthz, per start. */
  startMs: number[];
  medianStartMs: number;
  /** Resident set size once started and left idle, per start. */
  idleRssMiB: number[];
  medianIdleRssMiB: number;
}

export interface StartupResult {
  rounds: number;
  idleSeconds: number;
  /** The machine's one-minute load average before and after the suite (2 cores, shared). */
  loadAverage: [number, number];
  /** `node --import tsx src/main.ts`: TypeScript compiled at start, as before the build. */
  source: StartupSide;
  /** `node dist/main.js`: the production build, what `pnpm --filter @expectations/api start` runs. */
  build: StartupSide;
}

const commands = {
  source: ['--import', 'tsx', 'src/main.ts'],
  build: ['dist/main.js'],
} as const;

/**
 * Starts the API again and again, from its TypeScript source through tsx and from its build with
 * plain node, alternating, against a database migrated beforehand (a restart, the usual start).
 * Each start is timed from spawn to the first 200 from `/healthz` (polled every 2 ms over one
 * connection each), then left idle for `idleSeconds` before its RSS is read.
 */
export async function startup(options: { keys: BenchKeys; rounds: number; idleSeconds: number; newDatabase?: NewDatabase }): Promise<StartupResult> {
  const loadBefore = loadavg()[0]!;
  const env = apiEnv(await (options.newDatabase ?? newSqliteDatabase)('startup'), options.keys);
  const sides = { source: newSide('source'), build: newSide('build') };
  // A first start of each, not counted: migrates the database and warms the file cache.
  for (const side of ['source', 'build'] as const) await startOnce(side, env);
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 ? (['build', 'source'] as const) : (['source', 'build'] as const);
    for (const side of order) {
      const { startMs, rssBytes } = await startOnce(side, env, options.idleSeconds);
      sides[side].startMs.push(startMs);
      sides[side].idleRssMiB.push(rssBytes / 2 ** 20);
    }
  }
  for (const side of Object.values(sides)) {
    side.medianStartMs = median(side.startMs);
    side.medianIdleRssMiB = median(side.idleRssMiB);
  }
  return { rounds: options.rounds, idleSeconds: options.idleSeconds, loadAverage: [loadBefore, loadavg()[0]!], ...sides };
}

function newSide(side: keyof typeof commands): StartupSide {
  return { command: `node ${commands[side].join(' ')}`, startMs: [], medianStartMs: 0, idleRssMiB: [], medianIdleRssMiB: 0 };
}

async function startOnce(side: keyof typeof commands, env: Record<string, string>, idleSeconds = 0): Promise<{ startMs: number; rssBytes: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, commands[side], {
    cwd: join(repoRoot, 'apps/api'),
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the API (${side}) exited with ${child.exitCode} before answering /healthz`);
      if ((await healthStatus(port)) === 200) break;
      if (performance.now() - started > 30_000) throw new Error(`the API (${side}) did not answer /healthz within 30 s`);
      await sleep(2);
    }
    const startMs = performance.now() - started;
    await sleep(idleSeconds * 1000);
    return { startMs, rssBytes: rssOf(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function healthStatus(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? null));
    });
    req.on('error', () => resolve(null));
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

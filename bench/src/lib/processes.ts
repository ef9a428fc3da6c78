import { existsSync, readFileSync } from 'node:fs';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The API as production runs it: its build, started with plain node. */
export const API_ENTRY = 'apps/api/dist/main.js';
/** The read path's frameworkless floor. */
export const READ_FLOOR_ENTRY = 'bench/src/floors/read-floor.ts';

/** Builds the API (`pnpm build` of @expectations/api), so that the suites measure what production runs. */
export function buildApi(): void {
  execFileSync('pnpm', ['--filter', '@expectations/api', 'build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Another checkout's build of the API, measured beside this one's (`--baseline <checkout>`). */
export interface BaselineApi {
  /** The checkout's commit, as `git rev-parse --short HEAD` gives it there. */
  label: string;
  /** Its build's entry point, an absolute path. */
  entry: string;
  /**
   * Its own read-path floor, an absolute path, when the checkout has one: that floor runs that
   * build's list statement, so each build is divided by the floor of its own SQL.
   */
  floorEntry?: string;
}

/** Finds the API build of the checkout at `checkout`; throws, naming the path, when there is none. */
export function baselineApi(checkout: string): BaselineApi {
  const root = resolve(checkout);
  const entry = resolve(root, API_ENTRY);
  if (!existsSync(entry)) throw new Error(`--baseline ${root}: ${entry} is missing; run \`pnpm build\` in ${root} first`);
  let label: string;
  try {
    label = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    throw new Error(`--baseline ${root}: not a git checkout (its commit labels its figures)`);
  }
  const floorEntry = resolve(root, READ_FLOOR_ENTRY);
  return { label, entry, ...(existsSync(floorEntry) ? { floorEntry } : {}) };
}

export interface ServerProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Highest resident set size seen by sampling /proc, in bytes. */
  peakRssBytes(): number;
  /**
   * CPU time the process has used so far (user + system, from /proc), in seconds. Per request it
   * is steadier than throughput on a shared machine: other processes take wall time, not this.
   */
  cpuSeconds(): number;
  /** Forgets the peak so far: what follows is measured alone (say, a load after the seeding). */
  resetPeakRss(): void;
  stop(): Promise<void>;
}

/**
 * Starts an entry point as its own Node process and waits for its JSON log line that carries
 * `url` (both the API and the floors print one when they listen). A TypeScript entry runs
 * through tsx; a built one (`dist/….js`) with plain node, as in production. `entry` is relative
 * to this repository, or absolute (another checkout's build).
 */
export async function startServer(
  name: string,
  entry: string,
  env: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<ServerProcess> {
  // Run from the entry's own package so that `--import tsx` and external packages resolve there
  // (the last src/ or dist/ in the path: an absolute one may hold others above the package).
  const [, packageDir, file] = /^(.+)\/((?:src|dist)\/.+)$/.exec(entry) ?? [];
  if (!packageDir || !file) throw new Error(`${entry}: expected <package>/src/… or <package>/dist/…`);
  const loader = file.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...nodeFlags, ...loader, file], {
    cwd: resolve(repoRoot, packageDir),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s\n${stderr}`)), 30_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('"url"')) return;
      try {
        const entry = JSON.parse(line) as { url?: string };
        if (entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening\n${stderr}`));
    });
  });

  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, rssOf(child.pid!));
  };
  const sampler = setInterval(sample, 100);
  return {
    name,
    url,
    child,
    peakRssBytes: () => {
      sample();
      return peak;
    },
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    resetPeakRss: () => {
      peak = 0;
    },
    stop: async () => {
      clearInterval(sampler);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** USER_HZ: the unit of utime and stime in /proc/<pid>/stat on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

function cpuSecondsOf(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces, so split after its closing paren).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** A process's resident set size in bytes, read from /proc (0 once it is gone). */
export function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

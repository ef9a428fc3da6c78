/**
 * The API as its own process, for tests and tools that must SIGKILL it or run several: started
 * from its TypeScript source, as its `dev` script does, so that tests need no build first (the
 * build itself is tested by test/production-build.test.ts), or from a production build
 * (`buildApp`) where a test starts it many times. `node --import tsx` keeps the server in this one
 * process (the tsx CLI would fork a child that a SIGKILL of its parent leaves running).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { buildApp, type BuiltApp } from './built-app';

const apiDir = fileURLToPath(new URL('../', import.meta.url));
const sourceArgs = ['--import', 'tsx', 'src/main.ts'];
const START_TIMEOUT_MS = 30_000;

/** Logged by the router when a signed-in user has no mirror row yet: expected while webhooks lag. */
const MISSING_MIRROR_ROW = 'has no row in the users mirror';

export class ApiStartError extends Error {
  override name = 'ApiStartError';
}

export interface ApiExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One run of the API process. */
export interface ApiProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<ApiExit>;
  /** Every JSON log line the process wrote so far, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Webhooks this process acknowledged ('clerk webhook applied' log lines). */
  appliedWebhooks(): number;
  /** Error-level log lines other than the expected "no mirror row yet", as written. */
  unexpectedErrors(): string[];
  stderr(): string;
}

const running = new Set<ChildProcess>();

/**
 * SIGKILLs every API process this module started that is still running. A test that fails
 * half-way never reaches its own cleanup, so test files call this in `afterAll`: no API may
 * outlive the test that started it.
 */
export async function killAllApis(): Promise<void> {
  const exits = [...running].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(exits);
}

/**
 * When set, the path of a production build's `main.js` that `spawnApi` and `runApiToExit` start by
 * default instead of the source (the API's own suites set it once per run: api-bundle.global-setup.ts).
 */
export const API_BUNDLE_VARIABLE = 'EXPECTATIONS_API_BUNDLE';

/** The node arguments that start the API: a given bundle, the run's bundle, or the TypeScript source. */
function apiArgs(main: string | undefined): string[] {
  const bundle = main ?? process.env[API_BUNDLE_VARIABLE];
  return bundle ? [bundle] : sourceArgs;
}

/** The API's production build in a folder of the caller's own, for `spawnApi`'s `main`; `remove()` it afterwards. */
export function buildApi(): BuiltApp {
  return buildApp(apiDir);
}

export interface SpawnApiOptions {
  /**
   * A production build's `main.js` to run instead of the TypeScript source. Transpiling the
   * source at every start costs seconds on a busy machine; the build starts in a fraction of one.
   */
  main?: string;
}

/** Starts the API with exactly `env` (and PATH) and resolves once it listens. */
export async function spawnApi(env: Record<string, string>, options: SpawnApiOptions = {}): Promise<ApiProcess> {
  const child = spawn(process.execPath, apiArgs(options.main), {
    cwd: apiDir,
    // Info level: 'api listening' gives the URL and 'clerk webhook applied' shows progress.
    env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  let applied = 0;
  const logs: Array<Record<string, unknown>> = [];
  const errors: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<ApiExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new ApiStartError(`the API did not start within ${START_TIMEOUT_MS / 1000} s\n${stderr}`));
    }, START_TIMEOUT_MS);
    // Read every line to the end: a full stdout pipe would stall the API.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return; // not a log line
      }
      logs.push(entry);
      if (entry.msg === 'clerk webhook applied') applied += 1;
      else if (typeof entry.level === 'number' && entry.level >= 50 && !String(entry.msg).includes(MISSING_MIRROR_ROW)) errors.push(line);
      else if (entry.msg === 'api listening') {
        clearTimeout(timer);
        resolve(String(entry.url));
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new ApiStartError(`the API exited (${code ?? signal}) before listening\n${stderr}`));
    });
  });
  return { child, url, exited, logs, appliedWebhooks: () => applied, unexpectedErrors: () => [...errors], stderr: () => stderr };
}

/** Runs the API to completion and returns how it ended and what it printed: for start-up failures. */
export async function runApiToExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, apiArgs(undefined), { cwd: apiDir, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

/**
 * The production build of a workspace app, for tests that prove it runs with `node` alone: built
 * by the app's own `build` script, started with no TypeScript loader, stopped again.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const START_TIMEOUT_MS = 30_000;

export interface BuiltApp {
  /** The bundle: `<dir>/main.js`. */
  main: string;
  dir: string;
  remove(): void;
}

/**
 * Runs `pnpm run build` in `appDir` with `--outdir` set to a fresh folder of the test's own, so
 * that tests never race over `dist/`. The folder lies inside the app (under node_modules/.cache),
 * as dist/ does, so that the bundle's external packages resolve from the app's node_modules.
 */
export function buildApp(appDir: string): BuiltApp {
  const cache = join(appDir, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'build-test-'));
  execFileSync('pnpm', ['run', 'build', '--outdir', dir], { cwd: appDir, stdio: 'pipe' });
  return { main: join(dir, 'main.js'), dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningBuiltApp {
  child: ChildProcess;
  /** From the app's JSON log line that carries `url`, written once it listens. */
  url: string;
  stop(): Promise<void>;
}

/** Starts `node <main>` with exactly `env` (and PATH), from `cwd`, and resolves once it listens. */
export async function startBuiltApp(main: string, env: Record<string, string>, cwd: string): Promise<RunningBuiltApp> {
  const child = spawn(process.execPath, [main], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${main} did not listen within ${START_TIMEOUT_MS / 1000} s\n${stderr}`)), START_TIMEOUT_MS);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        try {
          const { url } = JSON.parse(line) as { url?: unknown };
          if (typeof url === 'string') {
            clearTimeout(timer);
            resolve(url);
          }
        } catch {
          // not a log line
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${main} exited (${child.exitCode ?? child.signalCode}) before listening\n${stderr}`));
      });
    });
    return { child, url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

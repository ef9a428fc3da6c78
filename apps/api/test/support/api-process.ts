import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const apiDir = fileURLToPath(new URL('../../', import.meta.url));
// `node --import tsx` keeps the server in this very process (the tsx CLI would fork a child that
// a SIGKILL of the parent leaves running).
const nodeArgs = ['--import', 'tsx', 'src/main.ts'];

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  /** Every log line the process wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `src/main.ts` as its own process, exactly as `pnpm start` does, and waits until it listens. */
export async function spawnApi(env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(process.execPath, nodeArgs, {
    cwd: apiDir,
    // Info level: the 'api listening' line tells us the port.
    env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`api did not start within 20 s\n${stderr}`)), 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'api listening') {
          clearTimeout(timer);
          resolve(String(entry.url));
        }
      } catch {
        // not a log line
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`api exited with ${code} before listening\n${stderr}`));
    });
  });
  return { child, url, logs, exited };
}

/** Runs `src/main.ts` to completion and returns what it printed, for start-up failures. */
export async function runApiToExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, nodeArgs, { cwd: apiDir, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

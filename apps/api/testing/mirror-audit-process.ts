/**
 * The mirror audit as its own process, as its `mirror:audit` script runs it (without pnpm in
 * between), for tests and benchmarks that check its output and exit status.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const apiDir = fileURLToPath(new URL('../', import.meta.url));

export interface MirrorAuditRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the audit with exactly `env` (and PATH) and `args`; kills it after `timeoutMs`. */
export async function runMirrorAudit(env: Record<string, string>, args: string[] = [], timeoutMs = 120_000): Promise<MirrorAuditRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/mirror-audit/main.ts', ...args], {
    cwd: apiDir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

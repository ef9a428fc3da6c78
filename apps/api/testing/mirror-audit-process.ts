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

/**
 * Runs `command args` from `cwd` with exactly `env` (and PATH), collects its output, and kills it
 * after `timeoutMs`: how every audit run in the tests is started, whatever the command.
 */
export async function runCommandToExit(command: string, args: string[], cwd: string, env: Record<string, string>, timeoutMs: number): Promise<MirrorAuditRun> {
  const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  // Decoded as streams, so a character split between two chunks is not garbled.
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  // 'close', not 'exit': only then has all of the output been read, however busy the machine.
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Runs the audit with exactly `env` (and PATH) and `args`; kills it after `timeoutMs`. */
export function runMirrorAudit(env: Record<string, string>, args: string[] = [], timeoutMs = 120_000): Promise<MirrorAuditRun> {
  return runCommandToExit(process.execPath, ['--import', 'tsx', 'src/mirror-audit/main.ts', ...args], apiDir, env, timeoutMs);
}

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MirrorAuditRun } from '@expectations/api/testing';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The audit's command as README.md and docs/operations.md give it, run from the repository's
 * root with exactly `env` (and PATH): `pnpm --dir apps/api mirror:audit`. Not `pnpm --filter`:
 * pnpm reports any failing script of a filtered (recursive) run as exit status 1, so a scheduled
 * job could not tell drift from an audit that could not run.
 */
export const DOCUMENTED_AUDIT_COMMAND = ['pnpm', '--dir', 'apps/api', 'mirror:audit'] as const;

export async function runDocumentedAudit(env: Record<string, string>, args: string[] = [], timeoutMs = 120_000): Promise<MirrorAuditRun> {
  const [command, ...commandArgs] = DOCUMENTED_AUDIT_COMMAND;
  const child = spawn(command, [...commandArgs, ...args], {
    cwd: repositoryRoot,
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

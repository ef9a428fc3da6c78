import { fileURLToPath } from 'node:url';
import { runCommandToExit, type MirrorAuditRun } from '@expectations/api/testing';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The audit's command as README.md and docs/operations.md give it, run from the repository's
 * root with exactly `env` (and PATH): `pnpm --dir apps/api mirror:audit`. Not `pnpm --filter`:
 * pnpm reports any failing script of a filtered (recursive) run as exit status 1, so a scheduled
 * job could not tell drift from an audit that could not run.
 */
export const DOCUMENTED_AUDIT_COMMAND = ['pnpm', '--dir', 'apps/api', 'mirror:audit'] as const;

export function runDocumentedAudit(env: Record<string, string>, args: string[] = [], timeoutMs = 120_000): Promise<MirrorAuditRun> {
  const [command, ...commandArgs] = DOCUMENTED_AUDIT_COMMAND;
  return runCommandToExit(command, [...commandArgs, ...args], repositoryRoot, env, timeoutMs);
}

import { expect } from 'vitest';
import type { MirrorAuditRun } from '@expectations/api/testing';
import type { Stack } from './stack';

/**
 * Runs the audit against `stack` with `overrides` and expects the one way it fails: exit 2, one
 * clear message matching `message`, no report, no stack trace and never the secret key.
 */
export async function expectCannotRun(stack: Stack, args: string[], overrides: Record<string, string>, message: RegExp): Promise<MirrorAuditRun> {
  const run = await stack.audit(args, overrides);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^mirror:audit could not run: /);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toContain(stack.clerk.config.secretKey);
  expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  return run;
}

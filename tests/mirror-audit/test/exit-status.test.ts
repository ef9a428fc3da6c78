import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDocumentedAudit } from '../src/documented-command';
import { closedPort, noDrift, Stack, type AuditJson } from '../src/stack';

/**
 * A scheduled job alerts on the audit's exit status: 0 clean, 1 drift, 2 could not run. The
 * command the docs give must keep all three, through pnpm.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await Stack.start({ bapiRateLimit: null });
  await stack.startApi();
  await stack.createUser(1);
  await stack.until('the user to reach the mirror', () => stack.clerk.webhookStats().delivered === 1);
});
afterAll(() => stack.stop());

describe('the documented command keeps the audit’s exit status', () => {
  it('0 when the mirror is clean, with only the report on stdout', async () => {
    const run = await runDocumentedAudit(stack.auditEnv(), ['--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout) as AuditJson).toEqual(noDrift({ users: 1 }));
  });

  it('2 with a wrong secret key', async () => {
    const run = await runDocumentedAudit(stack.auditEnv({ CLERK_SECRET_KEY: 'sk_test_wrongwrongwrongwrong' }), ['--json']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/mirror:audit could not run: .*refused CLERK_SECRET_KEY/);
  });

  it('2 with an unreachable CLERK_API_URL', async () => {
    const run = await runDocumentedAudit(stack.auditEnv({ CLERK_API_URL: `http://127.0.0.1:${await closedPort()}` }));
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/mirror:audit could not run: could not reach Clerk's Backend API/);
  });

  it('1 when drift was found', async () => {
    // A user whose webhook has nowhere to go: missing from the mirror.
    stack.clerk.setWebhookUrl(null);
    const missing = await stack.createUser(2);
    const run = await runDocumentedAudit(stack.auditEnv(), ['--json']);
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout) as AuditJson).toEqual({ ...noDrift({ users: 2 }), missing: [missing.id] });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCannotRun } from '../src/cannot-run';
import { closedPort, noDrift, Stack } from '../src/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await Stack.start({ bapiRateLimit: null });
  await stack.startApi();
  await stack.createUser(1);
  await stack.until('the user to reach the mirror', () => stack.clerk.webhookStats().delivered === 1);
});
afterAll(() => stack.stop());

// The database's own failures are engine by engine: bad-database.{sqlite,postgres}.test.ts.
describe('the audit exits 2, saying why, when it cannot run', () => {
  it('with a wrong secret key', async () => {
    const wrongKey = 'sk_test_wrongwrongwrongwrong';
    const run = await expectCannotRun(stack, ['--json'], { CLERK_SECRET_KEY: wrongKey }, /refused CLERK_SECRET_KEY \(401 authentication_invalid\)/);
    expect(run.stderr).not.toContain(wrongKey);
  });

  it('with an unreachable CLERK_API_URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    await expectCannotRun(stack, [], { CLERK_API_URL: url }, new RegExp(`could not reach Clerk's Backend API at ${url} \\(CLERK_API_URL\\) in 4 tries: ECONNREFUSED`));
  });

  it('with credentials in CLERK_API_URL, refused and never shown', async () => {
    const url = `http://admin:hunter2@127.0.0.1:${await closedPort()}`;
    const run = await expectCannotRun(stack, [], { CLERK_API_URL: url }, /CLERK_API_URL: must not carry a user name or password/);
    expect(run.stderr).not.toContain('hunter2');
  });

  it('without CLERK_SECRET_KEY, or with an unknown option', async () => {
    await expectCannotRun(stack, [], { CLERK_SECRET_KEY: '' }, /CLERK_SECRET_KEY: is required/);
    await expectCannotRun(stack, ['--fix'], {}, /Unknown option '--fix'[\s\S]*Usage:/);
    await expectCannotRun(stack, ['--resync', '--wait-seconds', 'soon'], {}, /--wait-seconds must be a whole number/);
  });

  it('and runs (exit 0) with the same environment put right', async () => {
    const run = await stack.audit(['--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(noDrift({ users: 1 }));
  });
});

import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { createTwoRoleDatabase, type TwoRoleDatabase } from '@expectations/db/testing';
import { killAllApis, runApiToExit, spawnApi } from '../testing/api-process';
import { clerkUserEvent } from '../testing/clerk-fixtures';
import { createSigningKey, mintSessionToken } from '../testing/session-tokens';
import { testEnv } from '../testing/test-config';
import { newSigningSecret, signDelivery } from '../testing/webhook-signing';
import { WEB_ORIGIN } from './support/trpc-http';

// The API with two PostgreSQL roles, as docs/operations.md ("Two roles") sets them up: the
// webhook writes through MIRROR_WRITER_DATABASE_URL's role, everything else runs as
// DATABASE_URL's, which may only SELECT the mirror.

let roles: TwoRoleDatabase;
beforeEach(async () => {
  roles = await createTwoRoleDatabase();
});
afterEach(async () => {
  await killAllApis();
  await roles.destroy();
});
afterAll(killAllApis);

const twoRoleEnv = (overrides: Record<string, string> = {}) =>
  testEnv({ DATABASE_URL: roles.appUrl, MIRROR_WRITER_DATABASE_URL: roles.ownerUrl, CLERK_WEBHOOK_SIGNING_SECRET: newSigningSecret(), ...overrides });

it('applies a signed webhook through the writer role, serves expectations through the app role, and leaves psql as the app role unable to write users', async () => {
  const secret = newSigningSecret();
  const key = createSigningKey();
  const api = await spawnApi(twoRoleEnv({ CLERK_WEBHOOK_SIGNING_SECRET: secret, CLERK_JWT_KEY: key.publicKeyPem, WEB_ORIGIN }));
  expect(api.logs.find((entry) => entry.msg === 'api listening')).toMatchObject({
    database: expect.stringMatching(new RegExp(`^${roles.appRole}@127\\.0\\.0\\.1:\\d+/`)),
    mirrorWriter: expect.stringMatching(new RegExp(`^${roles.ownerRole}@127\\.0\\.0\\.1:\\d+/`)),
  });
  expect(api.stderr()).not.toMatch(/app-password|owner-password/);

  for (const [id, firstName, lastName] of [['user_roles1', 'Ada', 'Lovelace'], ['user_roles2', 'Grace', 'Hopper']] as const) {
    const delivery = signDelivery(secret, clerkUserEvent('user.created', { id, updatedAt: 1_000, firstName, lastName }));
    const webhook = await fetch(`${api.url}/api/webhooks/clerk`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect(webhook.status).toBe(200);
  }

  const auth = { authorization: `Bearer ${mintSessionToken(key, { sub: 'user_roles1', azp: WEB_ORIGIN })}`, 'content-type': 'application/json' };
  const people = await fetch(`${api.url}/trpc/users.list?input=${encodeURIComponent('{"query":"Grace"}')}`, { headers: auth });
  const grace = ((await people.json()) as { result: { data: { items: Array<{ id: number }> } } }).result.data.items[0]!;
  // With an assignee, the create reads `users` inside its transaction: it must not need a row lock there.
  const created = await fetch(`${api.url}/trpc/expectations.create`, { method: 'POST', headers: auth, body: JSON.stringify({ title: 'Ship the billing export', assigneeId: grace.id }) });
  expect(created.status).toBe(200);
  const listed = await fetch(`${api.url}/trpc/expectations.list?input=${encodeURIComponent('{"limit":5}')}`, { headers: auth });
  expect(listed.status).toBe(200);
  const page = (await listed.json()) as { result: { data: { items: Array<{ title: string; author: { displayName: string }; assignee: { displayName: string } | null }> } } };
  expect(page.result.data.items.map((item) => [item.title, item.author.displayName, item.assignee?.displayName])).toEqual([['Ship the billing export', 'Ada Lovelace', 'Grace Hopper']]);
  expect((await fetch(`${api.url}/healthz`)).status).toBe(200);

  // psql as DATABASE_URL's role, with the triggers' flag set for its whole session.
  const flag = "SELECT set_config('expectations.mirror_writer', 'on', false)";
  await expect(roles.asAppRole([flag, "UPDATE users SET first_name = 'Forged'"])).rejects.toThrow(/permission denied for table users/);
  await expect(roles.asAppRole([flag, 'DELETE FROM webhook_events'])).rejects.toThrow(/permission denied for table webhook_events/);
  expect(await roles.asAppRole(['SELECT first_name FROM users ORDER BY id'])).toEqual([{ first_name: 'Ada' }, { first_name: 'Grace' }]);
  expect(api.unexpectedErrors()).toEqual([]);
});

it('refuses to start (exit 78) when the app role may write users through a role it belongs to, naming the role, the table and the fix', async () => {
  const first = await spawnApi(twoRoleEnv());
  first.child.kill('SIGTERM');
  await first.exited;
  const writers = `${roles.appRole}_writers`;
  await roles.asSuperuser(`CREATE ROLE ${writers} NOLOGIN; GRANT INSERT ON users TO ${writers}; GRANT ${writers} TO ${roles.appRole}`);
  try {
    const { code, stderr } = await runApiToExit(twoRoleEnv());
    expect(code).toBe(78);
    expect(stderr).toContain(`Invalid API configuration:\n  DATABASE_URL's role ${roles.appRole} could write the mirror, which only the mirror writer (MIRROR_WRITER_DATABASE_URL) may`);
    expect(stderr).toContain(`${roles.appRole} holds INSERT on users through a grant the API does not control`);
    expect(stderr).not.toMatch(/app-password|owner-password/);
  } finally {
    await roles.asSuperuser(`DROP OWNED BY ${writers}; DROP ROLE ${writers}`);
  }
});

it('refuses to start when both URLs log in as one role, and names MIRROR_WRITER_DATABASE_URL when only it cannot connect', async () => {
  const same = await runApiToExit(twoRoleEnv({ DATABASE_URL: roles.ownerUrl }));
  expect(same.code).toBe(78);
  expect(same.stderr).toContain(`DATABASE_URL and MIRROR_WRITER_DATABASE_URL both log in as ${roles.ownerRole}: DATABASE_URL needs a role of its own`);

  const unreachable = new URL(roles.ownerUrl);
  unreachable.pathname = '/no_such_database';
  const refused = await runApiToExit(twoRoleEnv({ MIRROR_WRITER_DATABASE_URL: unreachable.toString() }));
  expect(refused.code).toBe(78);
  expect(refused.stderr).toMatch(/MIRROR_WRITER_DATABASE_URL: could not connect to PostgreSQL at .*no_such_database.*does not exist/);
  expect(refused.stderr).not.toContain('owner-password');
});

it('refuses at start a MIRROR_WRITER_DATABASE_URL beside a SQLite DATABASE_URL', async () => {
  const { code, stderr } = await runApiToExit(twoRoleEnv({ DATABASE_URL: 'file:/nonexistent-folder/never-created.db' }));
  expect(code).toBe(78);
  expect(stderr).toMatch(/MIRROR_WRITER_DATABASE_URL: is set but DATABASE_URL names a SQLite file/);
  expect(stderr).not.toContain('owner-password');
});

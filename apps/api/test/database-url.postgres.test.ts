import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTempDatabaseUrl, type TempDatabaseUrl } from '@expectations/db/testing';
import { killAllApis, runApiToExit, spawnApi } from '../testing/api-process';
import { testEnv } from '../testing/test-config';
import { newSigningSecret } from '../testing/webhook-signing';

let database: TempDatabaseUrl;
beforeAll(async () => {
  database = await createTempDatabaseUrl();
});
afterAll(async () => {
  await killAllApis();
  await database.destroy();
});

it('refuses at start (exit 78) a PostgreSQL it cannot reach, naming where, never the password', async () => {
  const unreachable = 'postgres://app:hunter2@127.0.0.1:1/expectations';
  const { code, stderr } = await runApiToExit(testEnv({ DATABASE_URL: unreachable, CLERK_WEBHOOK_SIGNING_SECRET: newSigningSecret() }));
  expect(code).toBe(78);
  expect(stderr).toMatch(/DATABASE_URL: could not connect to PostgreSQL at app@127\.0\.0\.1:1\/expectations/);
  expect(stderr).not.toContain('hunter2');
});

it('refuses at start a database that does not exist on a server that answers', async () => {
  const missing = new URL(database.url);
  missing.pathname = '/no_such_database';
  const { code, stderr } = await runApiToExit(testEnv({ DATABASE_URL: missing.toString(), CLERK_WEBHOOK_SIGNING_SECRET: newSigningSecret() }));
  expect(code).toBe(78);
  expect(stderr).toMatch(/DATABASE_URL: .*no_such_database.*does not exist/);
});

it('runs on PostgreSQL, and on SIGTERM closes its pool and exits 0', async () => {
  const api = await spawnApi(testEnv({ DATABASE_URL: database.url, DATABASE_POOL_SIZE: '3', CLERK_WEBHOOK_SIGNING_SECRET: newSigningSecret() }));
  expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  expect(api.logs.find((entry) => entry.msg === 'api listening')).toMatchObject({ database: expect.stringMatching(/^postgres@127\.0\.0\.1:\d+\/test_/) });
  api.child.kill('SIGTERM');
  expect(await api.exited).toEqual({ code: 0, signal: null });
});

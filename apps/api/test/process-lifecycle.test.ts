import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runApiToExit, spawnApi, killAllApis } from '../testing/api-process';
import { testEnv } from '../testing/test-config';
import { newSigningSecret } from '../testing/webhook-signing';

const dir = mkdtempSync(join(tmpdir(), 'expectations-lifecycle-'));
afterAll(async () => {
  await killAllApis();
  rmSync(dir, { recursive: true, force: true });
});

describe('start-up configuration', () => {
  it('refuses to start without the webhook secret, naming the variable', async () => {
    const env = testEnv({ DATABASE_URL: `file:${join(dir, 'a.db')}` });
    const { code, stderr } = await runApiToExit(env);
    expect(code).toBe(78);
    expect(stderr).toContain('CLERK_WEBHOOK_SIGNING_SECRET: is required');
  });

  it('refuses a malformed publishable key and JWT key, naming both', async () => {
    const env = testEnv({
      DATABASE_URL: `file:${join(dir, 'b.db')}`,
      CLERK_WEBHOOK_SIGNING_SECRET: newSigningSecret(),
      CLERK_PUBLISHABLE_KEY: 'pk_test_bm90LWEtaG9zdA==',
      CLERK_JWT_KEY: 'not a pem',
    });
    const { code, stderr } = await runApiToExit(env);
    expect(code).toBe(78);
    expect(stderr).toMatch(/CLERK_PUBLISHABLE_KEY: /);
    expect(stderr).toMatch(/CLERK_JWT_KEY: must be a PEM RSA public key/);
    expect(existsSync(join(dir, 'b.db'))).toBe(false);
  });

  it.each([
    ['mysql://app:hunter2@db/expectations', /DATABASE_URL: has the scheme mysql:\/\/, which is not supported/],
    ['postgres://app:hunter2@db.internal:5432/', /DATABASE_URL: names no database on app@db\.internal:5432\//],
  ])('refuses DATABASE_URL=%s, naming the problem and never the password', async (url, message) => {
    const { code, stderr } = await runApiToExit(testEnv({ DATABASE_URL: url, CLERK_WEBHOOK_SIGNING_SECRET: newSigningSecret() }));
    expect(code).toBe(78);
    expect(stderr).toMatch(message);
    expect(stderr).not.toContain('hunter2');
  });
});

describe('graceful shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('on %s it stops, closes the database cleanly and exits 0', async (signal) => {
    const dbPath = join(dir, `${signal}.db`);
    const api = await spawnApi(testEnv({ DATABASE_URL: `file:${dbPath}`, CLERK_WEBHOOK_SIGNING_SECRET: newSigningSecret() }));
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    // A keep-alive connection held open by a client must not block the shutdown.
    api.child.kill(signal);
    expect(await api.exited).toEqual({ code: 0, signal: null });
    // SQLite removes the WAL when the last connection closes cleanly.
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    expect(api.logs.map((entry) => entry.msg)).toContain('shut down cleanly');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@expectations/db';
import { createTempDatabaseUrl, sqlRun, type TempDatabaseUrl } from '@expectations/db/testing';
import { killAllApis, spawnApi, type ApiProcess } from '../testing/api-process';
import { createSigningKey, mintSessionToken } from '../testing/session-tokens';
import { testEnv } from '../testing/test-config';
import { newSigningSecret } from '../testing/webhook-signing';

/**
 * The API as `start` runs it, configured by its environment alone: with no NODE_ENV at all an
 * internal error reaches the client as a generic message; only NODE_ENV=development (what
 * `npm run dev` sets) sends the error's own message and stack.
 */
const key = createSigningKey();
const webOrigin = 'http://127.0.0.1:5173';
let database: TempDatabaseUrl;

function environment(nodeEnv: string | undefined): Record<string, string> {
  const { NODE_ENV: _testDefault, ...env } = testEnv({
    DATABASE_URL: database.url,
    CLERK_JWT_KEY: key.publicKeyPem,
    CLERK_WEBHOOK_SIGNING_SECRET: newSigningSecret(),
    WEB_ORIGIN: webOrigin,
  });
  return nodeEnv === undefined ? env : { ...env, NODE_ENV: nodeEnv };
}

/** Starts the API, takes the users table away under it, and returns the caller's answer. */
async function internalErrorAnswer(nodeEnv: string | undefined): Promise<{ status: number; error: { message: string; data: Record<string, unknown> } }> {
  let api: ApiProcess | undefined;
  const db = await openDatabase(database.url, { migrate: false });
  try {
    api = await spawnApi(environment(nodeEnv));
    await sqlRun(db, 'ALTER TABLE users RENAME TO users_gone');
    const token = mintSessionToken(key, { sub: 'user_details', azp: webOrigin });
    const response = await fetch(`${api.url}/trpc/users.ensureExists`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { error: { message: string; data: Record<string, unknown> } };
    // The failure itself is logged either way: only the answer differs.
    expect(api.unexpectedErrors().join('\n')).toMatch(/users/);
    return { status: response.status, error: body.error };
  } finally {
    await sqlRun(db, 'ALTER TABLE users_gone RENAME TO users').catch(() => undefined);
    await db.close();
    api?.child.kill('SIGTERM');
    await api?.exited;
  }
}

beforeAll(async () => {
  database = await createTempDatabaseUrl();
  // Migrated once, by an API start, before the tests rename tables under later ones.
  const api = await spawnApi(environment('test'));
  api.child.kill('SIGTERM');
  await api.exited;
});

afterAll(async () => {
  await killAllApis();
  await database?.destroy();
});

describe('internal error details', () => {
  it('are not sent when NODE_ENV is not set at all', async () => {
    const answer = await internalErrorAnswer(undefined);
    expect(answer.status).toBe(500);
    expect(answer.error.message).toBe('Something went wrong on our side; it was logged. Please try again.');
    expect(answer.error.data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect(answer.error.data).not.toHaveProperty('stack');
    expect(JSON.stringify(answer)).not.toMatch(/users_gone|no such table|does not exist|\.ts:\d/);
  });

  it('are not sent under NODE_ENV=production either', async () => {
    const answer = await internalErrorAnswer('production');
    expect(answer.status).toBe(500);
    expect(answer.error.data).not.toHaveProperty('stack');
    expect(answer.error.message).not.toMatch(/users/);
  });

  it('are sent when asked for with NODE_ENV=development', async () => {
    const answer = await internalErrorAnswer('development');
    expect(answer.status).toBe(500);
    // The failed query's own words, naming the table.
    expect(answer.error.message).toMatch(/"users"|no such table: users/);
    expect(answer.error.data.stack).toEqual(expect.any(String));
  });
});

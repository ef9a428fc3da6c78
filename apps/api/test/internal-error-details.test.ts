import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '@expectations/db';
import { createTempDatabaseUrl, sqlRun, type TempDatabaseUrl } from '@expectations/db/testing';
import { killAllApis, spawnApi } from '../testing/api-process';
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
let db: Database;

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
  const api = await spawnApi(environment(nodeEnv));
  await sqlRun(db, 'ALTER TABLE users RENAME TO users_gone');
  try {
    const token = mintSessionToken(key, { sub: 'user_details', azp: webOrigin });
    const response = await fetch(`${api.url}/trpc/users.ensureExists`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { error: { message: string; data: Record<string, unknown> } };
    // The failure itself is logged either way (the line may follow the answer): only the answer differs.
    await vi.waitUntil(() => api.unexpectedErrors().some((line) => line.includes('trpc procedure failed')), { timeout: 10_000 });
    return { status: response.status, error: body.error };
  } finally {
    await sqlRun(db, 'ALTER TABLE users_gone RENAME TO users');
    await killAllApis();
  }
}

beforeAll(async () => {
  database = await createTempDatabaseUrl();
  db = await openDatabase(database.url); // migrated here, so that the API finds its tables
});

afterAll(async () => {
  await killAllApis();
  await db?.close();
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

  it('are sent when asked for with NODE_ENV=development', async () => {
    const answer = await internalErrorAnswer('development');
    expect(answer.status).toBe(500);
    // The failed query's own words, naming the table.
    expect(answer.error.message).toMatch(/"users"|no such table: users/);
    expect(answer.error.data.stack).toEqual(expect.any(String));
  });
});

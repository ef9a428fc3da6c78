import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@expectations/api/config';
import { startApi } from '@expectations/api/server';
import { openDatabase, type Database } from '@expectations/db';
import { findUserByClerkId, sqlRows } from '@expectations/db/testing';
import { apiEnvironmentFor, primaryEmailOf, type ClerkUserJson, type RunningClerkEmulator } from '../src/index';
import { buildApi, spawnApi, type ApiProcess, type BuiltApp } from '@expectations/api/testing';
import { admin, createUser, SPA_ORIGIN, startTestEmulator, tempDir, waitForNothingPending } from './helpers';

// The production build, as operators run it: the faults test starts the API twice, and from
// TypeScript source each start took 12-24 s on a loaded 2-core machine (see docs/reliability.md).
let built: BuiltApp | undefined;
beforeAll(() => {
  built = buildApi();
});
afterAll(() => built?.remove());

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function apiEnv(emulator: RunningClerkEmulator, databasePath: string, port = 0): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DATABASE_URL: `file:${databasePath}`,
    WEB_ORIGIN: SPA_ORIGIN,
    ...apiEnvironmentFor(emulator.config),
  };
}

async function listUsers(emulator: RunningClerkEmulator): Promise<ClerkUserJson[]> {
  return (await admin<{ data: ClerkUserJson[] }>(emulator, 'GET', '/admin/users')).body.data;
}

/** The mirror holds exactly Clerk's users: every field of the live ones, and tombstones for the deleted. */
async function expectMirrorToMatch(db: Database, live: ClerkUserJson[], deletedIds: string[]): Promise<void> {
  for (const user of live) {
    const row = await findUserByClerkId(db, user.id);
    expect(row, user.id).toBeDefined();
    expect({
      email: row!.email,
      firstName: row!.firstName,
      lastName: row!.lastName,
      username: row!.username,
      imageUrl: row!.imageUrl,
      clerkUpdatedAt: row!.clerkUpdatedAt,
      deletedAt: row!.deletedAt,
    }).toEqual({
      email: primaryEmailOf(user),
      firstName: user.first_name,
      lastName: user.last_name,
      username: user.username,
      imageUrl: user.image_url,
      clerkUpdatedAt: user.updated_at,
      deletedAt: null,
    });
  }
  for (const id of deletedIds) {
    const row = await findUserByClerkId(db, id);
    expect(row, id).toBeDefined();
    expect(row!.deletedAt).not.toBeNull();
    expect([row!.email, row!.firstName, row!.lastName, row!.username, row!.imageUrl]).toEqual([null, null, null, null, null]);
  }
  expect(await sqlRows(db, 'SELECT count(*) AS count FROM users')).toEqual([{ count: live.length + deletedIds.length }]);
}

describe('the stand-in and the real API', () => {
  it('the mirror follows creates, updates and deletes, and the stand-in’s tokens open the API', async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const emulator = await startTestEmulator({ dataDir: join(dir.path, 'clerk') });
    cleanups.push(emulator.close);
    const api = await startApi(loadConfig(apiEnv(emulator, join(dir.path, 'api.db'))), pino({ level: 'silent' }));
    cleanups.push(() => api.close());
    emulator.setWebhookUrl(`${api.url}/api/webhooks/clerk`);

    const ada = await createUser(emulator, { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org' });
    const grace = await createUser(emulator, { first_name: 'Grace', last_name: 'Hopper', email_address: 'grace@example.org', username: 'grace' });
    await waitForNothingPending(emulator);
    await expectMirrorToMatch(api.db, [ada, grace], []);

    await admin(emulator, 'PATCH', `/admin/users/${ada.id}`, {
      first_name: 'Augusta Ada',
      last_name: 'King',
      username: 'countess',
      email_address: 'countess@example.org',
      image_url: 'https://img.example.org/ada.png',
    });
    await admin(emulator, 'DELETE', `/admin/users/${grace.id}`);
    await waitForNothingPending(emulator);
    const live = await listUsers(emulator);
    expect(live.map((user) => user.id)).toEqual([ada.id]);
    await expectMirrorToMatch(api.db, live, [grace.id]);

    // A token minted by the stand-in is accepted by the API's Clerk middleware, as a real one would be.
    const { jwt } = (await admin<{ jwt: string }>(emulator, 'POST', '/admin/sessions', { user_id: ada.id, azp: SPA_ORIGIN })).body;
    const response = await fetch(`${api.url}/trpc/users.ensureExists`, { headers: { authorization: `Bearer ${jwt}`, origin: SPA_ORIGIN } });
    expect(response.status).toBe(200);
    const mirrorRow = await findUserByClerkId(api.db, ada.id);
    expect(await response.json()).toEqual({ result: { data: { id: mirrorRow!.id } } });
  });

  it('with faults on and the API killed and restarted mid-stream, the mirror converges exactly', async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const emulator = await startTestEmulator({
      dataDir: join(dir.path, 'clerk'),
      webhookFaults: 'duplicate=0.3,drop=0.3,reorder=0.3,delay_ms=100,seed=42',
      // Short attempts: a request that the kill leaves hanging is retried soon.
      webhookAttemptTimeoutMs: 2000,
    });
    cleanups.push(emulator.close);
    const databasePath = join(dir.path, 'api.db');
    const started = Date.now();
    // Each phase's time since the start, so that a run stopped by the timeout names the slow one.
    const phase = (what: string) => console.log(`mirror integration: ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
    let api: ApiProcess = await spawnApi(apiEnv(emulator, databasePath), { main: built!.main });
    phase('API started');
    const port = Number(new URL(api.url).port);
    cleanups.push(() => {
      api.child.kill('SIGKILL');
    });
    emulator.setWebhookUrl(`${api.url}/api/webhooks/clerk`);

    const users: ClerkUserJson[] = [];
    const deleted: string[] = [];
    const update = async (user: ClerkUserJson, fields: Record<string, unknown>) => {
      const answer = await admin<ClerkUserJson>(emulator, 'PATCH', `/admin/users/${user.id}`, fields);
      expect(answer.status).toBe(200);
    };
    const remove = async (user: ClerkUserJson) => {
      expect((await admin(emulator, 'DELETE', `/admin/users/${user.id}`)).status).toBe(200);
      deleted.push(user.id);
    };

    // A burst of changes, and the API dies while their webhooks are in flight.
    for (let index = 0; index < 12; index += 1) {
      users.push(await createUser(emulator, { first_name: `First${index}`, last_name: `Last${index}`, email_address: `user${index}@example.org` }));
    }
    for (const user of users.slice(0, 6)) await update(user, { first_name: `${user.first_name} v2` });
    api.child.kill('SIGKILL');
    expect((await api.exited).signal).toBe('SIGKILL');
    phase('16 changes made, API killed');

    // Clerk keeps changing while the API is down.
    for (const user of users.slice(0, 4)) await update(user, { last_name: 'Renamed', username: `${user.first_name?.toLowerCase().replace(/\W/g, '')}_u` });
    await update(users[5]!, { email_address: 'moved5@example.org', image_url: 'https://img.example.org/5.png' });
    await remove(users[1]!);
    await remove(users[7]!);
    await remove(users[11]!);
    for (let index = 12; index < 16; index += 1) {
      users.push(await createUser(emulator, { first_name: `First${index}`, last_name: `Last${index}`, email_address: `user${index}@example.org` }));
    }
    await remove(users[13]!);
    const failedWhileDown = emulator.webhookStats().failed;
    expect(emulator.webhookStats().pending).toBeGreaterThan(0);

    // Back on the same port; the stand-in's retries find it there.
    phase('changes made while the API was down');
    api = await spawnApi(apiEnv(emulator, databasePath, port), { main: built!.main });
    phase('API restarted');
    for (const user of users.slice(2, 5)) await update(user, { first_name: `${user.id.slice(-4)} final`, image_url: null });
    await update(users[0]!, { email_address: 'user0-final@example.org' });

    await waitForNothingPending(emulator, 40_000);
    phase('every webhook delivered');
    const stats = emulator.webhookStats();
    expect(stats.pending).toBe(0);
    expect(stats.failed).toBeGreaterThanOrEqual(failedWhileDown);
    expect(stats.failed).toBeGreaterThan(0);

    api.child.kill('SIGTERM');
    await api.exited;
    const db = await openDatabase(`file:${databasePath}`, { migrate: false });
    try {
      const live = await listUsers(emulator);
      expect(live).toHaveLength(users.length - deleted.length);
      await expectMirrorToMatch(db, live, deleted);
      // The faults really happened: some deliveries arrived more than once.
      const [{ duplicates }] = (await sqlRows(db, 'SELECT coalesce(sum(duplicate_deliveries), 0) AS duplicates FROM webhook_events')) as [
        { duplicates: number },
      ];
      expect(duplicates).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  }, 60_000);
});

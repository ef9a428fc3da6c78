import { afterEach, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '@expectations/db';
import { createTempDatabaseUrl, findUserByClerkId, sqlRows, sqlRun, type TempDatabaseUrl } from '@expectations/db/testing';
import { ConfigError } from '../src/config';
import { createLogger } from '../src/logger';
import { startApi, type RunningApi } from '../src/server';
import { startWebhookEventsRetention } from '../src/webhooks/webhook-events-retention';
import { clerkUserEvent } from '../testing/clerk-fixtures';
import { testConfig } from '../testing/test-config';
import { newSigningSecret, signDelivery } from '../testing/webhook-signing';

const DAY = 24 * 60 * 60 * 1000;
const secret = newSigningSecret();
let database: TempDatabaseUrl | undefined;
let api: RunningApi | undefined;
afterEach(async () => {
  await api?.close();
  await database?.destroy();
  api = database = undefined;
});

async function deliver(body: object, svixId: string) {
  const signed = signDelivery(secret, body, { svixId });
  const response = await fetch(`${api!.url}/api/webhooks/clerk`, { method: 'POST', headers: signed.headers, body: signed.body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const insertEvent = (db: Database, svixId: string, lastDeliveredAt: number) =>
  sqlRun(
    db,
    `INSERT INTO webhook_events (svix_id, type, clerk_user_id, outcome, clerk_updated_at, received_at, duplicate_deliveries, last_delivered_at)
     VALUES (?, 'user.updated', 'user_x', 'applied', 0, ?, 0, ?)`,
    [svixId, lastDeliveredAt, lastDeliveredAt],
  );

/** The value of one sample line (`name value`) of a Prometheus text exposition. */
async function metric(name: string): Promise<number | undefined> {
  const text = await (await fetch(`${api!.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

it('prunes rows older than the window when it starts, and counts them in /metrics', async () => {
  database = await createTempDatabaseUrl();
  // Rows written before this API process started, as an earlier process would have left them.
  const earlier = await openDatabase(database.url);
  await insertEvent(earlier, 'msg_31_days', Date.now() - 31 * DAY);
  await insertEvent(earlier, 'msg_45_days', Date.now() - 45 * DAY);
  await insertEvent(earlier, 'msg_29_days', Date.now() - 29 * DAY);
  await earlier.close();

  api = await startApi(testConfig({ DATABASE_URL: database.url, CLERK_WEBHOOK_SIGNING_SECRET: secret }), createLogger('silent'));
  await vi.waitFor(async () => expect(await metric('expectations_webhook_events_pruned_total')).toBe(2), { timeout: 10_000 });
  expect(await sqlRows(api.db, 'SELECT svix_id FROM webhook_events')).toEqual([{ svix_id: 'msg_29_days' }]);
});

it('answers a redelivery inside the window as a duplicate after a prune, changing nothing', async () => {
  database = await createTempDatabaseUrl();
  api = await startApi(testConfig({ DATABASE_URL: database.url, CLERK_WEBHOOK_SIGNING_SECRET: secret }), createLogger('silent'));
  const created = clerkUserEvent('user.created', { id: 'user_2retentionAAAAAAAAAAAAAAAAA', firstName: 'Ada', updatedAt: Date.now() });
  expect((await deliver(created, 'msg_retained')).json).toMatchObject({ outcome: 'applied' });
  const row = await findUserByClerkId(api.db, 'user_2retentionAAAAAAAAAAAAAAAAA');

  const retention = startWebhookEventsRetention({ db: api.db, log: createLogger('silent'), retentionDays: 30 });
  try {
    expect(await retention.pruneNow()).toBe(0);
  } finally {
    await retention.stop();
  }
  const changed = clerkUserEvent('user.created', { id: 'user_2retentionAAAAAAAAAAAAAAAAA', firstName: 'Changed', updatedAt: Date.now() + 1 });
  expect(await deliver(changed, 'msg_retained')).toMatchObject({ status: 200, json: { outcome: 'duplicate' } });
  expect(await findUserByClerkId(api.db, 'user_2retentionAAAAAAAAAAAAAAAAA')).toEqual(row);
});

it('refuses to start with a window shorter than Svix can redeliver', () => {
  expect(() => testConfig({ CLERK_WEBHOOK_SIGNING_SECRET: secret, WEBHOOK_EVENTS_RETENTION_DAYS: '7' })).toThrow(ConfigError);
  expect(() => testConfig({ CLERK_WEBHOOK_SIGNING_SECRET: secret, WEBHOOK_EVENTS_RETENTION_DAYS: '7' })).toThrow(
    /WEBHOOK_EVENTS_RETENTION_DAYS: must be at least 15/,
  );
  expect(testConfig({ CLERK_WEBHOOK_SIGNING_SECRET: secret }).WEBHOOK_EVENTS_RETENTION_DAYS).toBe(30);
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '@expectations/db';
import { createTempDatabaseUrl, sqlRows, type TempDatabaseUrl } from '@expectations/db/testing';
import { spawnApi, killAllApis } from '../testing/api-process';
import { clerkUserEvent } from '../testing/clerk-fixtures';
import { testEnv } from '../testing/test-config';
import { newSigningSecret, signDelivery } from '../testing/webhook-signing';

let database: TempDatabaseUrl;
beforeAll(async () => {
  database = await createTempDatabaseUrl();
});
afterAll(async () => {
  await killAllApis();
  await database.destroy();
});

it('loses no acknowledged delivery when the process is killed with SIGKILL mid-burst', async () => {
  const secret = newSigningSecret();
  const env = testEnv({ DATABASE_URL: database.url, CLERK_WEBHOOK_SIGNING_SECRET: secret });
  const api = await spawnApi(env);

  const deliveries = Array.from({ length: 400 }, (_, i) =>
    signDelivery(secret, clerkUserEvent('user.created', { id: `user_crash${i}`, updatedAt: 1_000 + i, firstName: `Crash ${i}` })),
  );
  const acknowledged: string[] = [];
  let next = 0;
  let killed = false;

  // Twelve concurrent senders, like Svix's parallel deliveries; the kill lands mid-stream.
  const sender = async () => {
    while (next < deliveries.length) {
      const delivery = deliveries[next++]!;
      try {
        const response = await fetch(`${api.url}/api/webhooks/clerk`, { method: 'POST', headers: delivery.headers, body: delivery.body });
        if (response.ok) acknowledged.push(delivery.headers['svix-id']!);
      } catch {
        // the connection died with the process: not acknowledged, Svix would retry
      }
      if (!killed && acknowledged.length >= 120) {
        killed = true;
        api.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: 12 }, sender));
  expect(await api.exited).toMatchObject({ signal: 'SIGKILL' });
  expect(acknowledged.length).toBeGreaterThanOrEqual(120);
  expect(acknowledged.length).toBeLessThan(deliveries.length); // the kill really interrupted the burst

  const db = await openDatabase(database.url);
  try {
    const recorded = new Set((await sqlRows<{ svix_id: string }>(db, "SELECT svix_id FROM webhook_events WHERE outcome = 'applied'")).map((row) => row.svix_id));
    const lost = acknowledged.filter((svixId) => !recorded.has(svixId));
    expect(lost).toEqual([]);
    expect(await sqlRows(db, 'SELECT count(*) AS n FROM users')).toEqual([{ n: recorded.size }]);
  } finally {
    await db.close();
  }

  // Svix retries what was not acknowledged: after a restart every user ends up mirrored once.
  const restarted = await spawnApi(env);
  try {
    for (const delivery of deliveries) {
      const response = await fetch(`${restarted.url}/api/webhooks/clerk`, { method: 'POST', headers: delivery.headers, body: delivery.body });
      expect(response.status).toBe(200);
    }
  } finally {
    restarted.child.kill('SIGTERM');
    await restarted.exited;
  }
  const after = await openDatabase(database.url);
  try {
    expect(await sqlRows(after, 'SELECT count(*) AS n FROM users')).toEqual([{ n: deliveries.length }]);
    expect(await sqlRows(after, 'SELECT count(*) AS n FROM webhook_events')).toEqual([{ n: deliveries.length }]);
  } finally {
    await after.close();
  }
}, 60_000);

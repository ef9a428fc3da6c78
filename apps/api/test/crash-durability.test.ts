import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '@expectations/db';
import { spawnApi, killAllApis } from '../testing/api-process';
import { clerkUserEvent } from '../testing/clerk-fixtures';
import { testEnv } from '../testing/test-config';
import { newSigningSecret, signDelivery } from '../testing/webhook-signing';

const dir = mkdtempSync(join(tmpdir(), 'expectations-crash-'));
afterAll(async () => {
  await killAllApis();
  rmSync(dir, { recursive: true, force: true });
});

it('loses no acknowledged delivery when the process is killed with SIGKILL mid-burst', async () => {
  const secret = newSigningSecret();
  const dbPath = join(dir, 'api.db');
  const env = testEnv({ DATABASE_URL: `file:${dbPath}`, CLERK_WEBHOOK_SIGNING_SECRET: secret });
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

  const db = openDatabase(dbPath);
  try {
    const recorded = new Set(
      (db.sqlite.prepare("SELECT svix_id FROM webhook_events WHERE outcome = 'applied'").all() as Array<{ svix_id: string }>).map(
        (row) => row.svix_id,
      ),
    );
    const lost = acknowledged.filter((svixId) => !recorded.has(svixId));
    expect(lost).toEqual([]);
    const users = db.sqlite.prepare('SELECT count(*) AS n FROM users').get() as { n: number };
    expect(users.n).toBe(recorded.size);
  } finally {
    db.close();
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
  const after = openDatabase(dbPath);
  try {
    expect((after.sqlite.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n).toBe(deliveries.length);
    expect((after.sqlite.prepare('SELECT count(*) AS n FROM webhook_events').get() as { n: number }).n).toBe(deliveries.length);
  } finally {
    after.close();
  }
}, 60_000);

import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '@expectations/db';
import { createTempDatabaseUrl, sqlRows, testDialect, type TempDatabaseUrl } from '@expectations/db/testing';
import { killAllApis, spawnApi, type ApiProcess } from '../testing/api-process';
import { clerkUserEvent } from '../testing/clerk-fixtures';
import { createSigningKey, mintSessionToken } from '../testing/session-tokens';
import { testEnv } from '../testing/test-config';
import { WEB_ORIGIN } from './support/trpc-http';
import { newSigningSecret, signDelivery } from '../testing/webhook-signing';

let database: TempDatabaseUrl;
beforeAll(async () => {
  database = await createTempDatabaseUrl();
});
afterAll(async () => {
  await killAllApis();
  await database.destroy();
});

/**
 * Two API processes on one database, so that writers really contend: for SQLite's file lock, or
 * for PostgreSQL's row and advisory locks as two replicas would. Webhook deliveries to one,
 * expectation creates to the other, list reads on both, all at once.
 */
it(`lets no lock error reach a client and keeps every acknowledged write (${testDialect()})`, async () => {
  const secret = newSigningSecret();
  const key = createSigningKey();
  const env = testEnv({
    DATABASE_URL: database.url,
    CLERK_WEBHOOK_SIGNING_SECRET: secret,
    CLERK_JWT_KEY: key.publicKeyPem,
    WEB_ORIGIN,
    MUTATION_RATE_LIMIT_PER_MINUTE: '100000',
  });
  const first = await spawnApi(env);
  const second = await spawnApi(env);

  const deliver = (n: number, updatedAt: number) => {
    const delivery = signDelivery(secret, clerkUserEvent(n < 20 ? 'user.created' : 'user.updated', { id: `user_conc${n % 20}`, updatedAt, lastName: `v${updatedAt}` }));
    return fetch(`${first.url}/api/webhooks/clerk`, { method: 'POST', headers: delivery.headers, body: delivery.body }).then((r) => ({
      status: r.status,
      svixId: delivery.headers['svix-id']!,
    }));
  };
  for (let n = 0; n < 20; n++) expect((await deliver(n, 1_000 + n)).status).toBe(200);
  const tokens = Array.from({ length: 20 }, (_, n) => mintSessionToken(key, { sub: `user_conc${n}`, azp: WEB_ORIGIN }, { ttlSeconds: 600 }));
  const auth = (n: number) => ({ authorization: `Bearer ${tokens[n % tokens.length]}` });

  const answers: number[] = [];
  const acknowledgedDeliveries: string[] = [];
  const acknowledgedCreates: number[] = [];
  const webhookWriter = async () => {
    for (let n = 20; n < 220; n++) {
      const { status, svixId } = await deliver(n, 10_000 + n);
      answers.push(status);
      if (status === 200) acknowledgedDeliveries.push(svixId);
    }
  };
  const creator = async (worker: number) => {
    for (let n = 0; n < 50; n++) {
      const response = await fetch(`${second.url}/trpc/expectations.create`, {
        method: 'POST',
        headers: { ...auth(worker * 50 + n), 'content-type': 'application/json' },
        body: JSON.stringify({ title: `concurrent ${worker}-${n}` }),
      });
      answers.push(response.status);
      if (response.ok) acknowledgedCreates.push(((await response.json()) as { result: { data: { id: number } } }).result.data.id);
      else await response.text();
    }
  };
  const reader = async (api: ApiProcess) => {
    for (let n = 0; n < 150; n++) {
      const response = await fetch(`${api.url}/trpc/expectations.list?input=${encodeURIComponent('{"limit":20}')}`, { headers: auth(n) });
      answers.push(response.status);
      await response.text();
    }
  };
  await Promise.all([webhookWriter(), creator(0), creator(1), creator(2), reader(first), reader(second), reader(second)]);

  expect(answers.filter((status) => status >= 500)).toEqual([]);
  expect(answers.filter((status) => status !== 200)).toEqual([]);
  const db = await openDatabase(database.url);
  try {
    const recorded = new Set((await sqlRows<{ svix_id: string }>(db, 'SELECT svix_id FROM webhook_events')).map((row) => row.svix_id));
    expect(acknowledgedDeliveries.filter((id) => !recorded.has(id))).toEqual([]);
    const stored = new Set((await sqlRows<{ id: number }>(db, 'SELECT id FROM expectations')).map((row) => row.id));
    expect(acknowledgedCreates).toHaveLength(150);
    expect(acknowledgedCreates.filter((id) => !stored.has(id))).toEqual([]);
    // The last update of each user won, whatever the interleaving.
    expect(await sqlRows(db, "SELECT last_name FROM users WHERE clerk_id = 'user_conc0'")).toEqual([{ last_name: 'v10200' }]);
  } finally {
    await db.close();
  }
  const logs = [...first.logs, ...second.logs].map((entry) => JSON.stringify(entry));
  expect(logs.filter((line) => /SQLITE_BUSY|database is locked|deadlock|could not serialize/.test(line))).toEqual([]);
}, 120_000);

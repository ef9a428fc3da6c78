import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTempDatabaseUrl, type TempDatabaseUrl } from '@expectations/db/testing';
import { killAllApis, spawnApi } from '../testing/api-process';
import { clerkMembershipEvent, clerkOrganizationEvent, clerkUserEvent } from '../testing/clerk-fixtures';
import { createSigningKey, mintSessionToken } from '../testing/session-tokens';
import { testEnv } from '../testing/test-config';
import { newSigningSecret, signDelivery } from '../testing/webhook-signing';
import { feedClient, isType, openFeed } from './support/feed-client';
import { activeTeamClaims, WEB_ORIGIN } from './support/trpc-http';

// Two API processes on one PostgreSQL database, as two replicas behind a load balancer: a feed
// open on replica 2 hears what is written through replica 1 (PostgreSQL's LISTEN/NOTIFY wakes it).

let database: TempDatabaseUrl;
beforeAll(async () => {
  database = await createTempDatabaseUrl();
});
afterAll(async () => {
  await killAllApis();
  await database.destroy();
});

it('delivers a write and a webhook applied through replica 1 to a feed open on replica 2', async () => {
  const secret = newSigningSecret();
  const key = createSigningKey();
  const env = testEnv({ DATABASE_URL: database.url, CLERK_WEBHOOK_SIGNING_SECRET: secret, CLERK_JWT_KEY: key.publicKeyPem, WEB_ORIGIN });
  const [first, second] = [await spawnApi(env), await spawnApi(env)];

  const deliver = async (event: Record<string, unknown>) => {
    const delivery = signDelivery(secret, event);
    const response = await fetch(`${first.url}/api/webhooks/clerk`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect(response.status).toBe(200);
  };
  const at = Date.now();
  const team = 'org_2replicaTeamAAAAAAAAAAAAAA';
  await deliver(clerkOrganizationEvent('organization.created', { id: team, updatedAt: at, name: 'Replicas' }));
  for (const [n, id] of ['user_2replicaAda', 'user_2replicaBob'].entries()) {
    await deliver(clerkUserEvent('user.created', { id, updatedAt: at, firstName: n === 0 ? 'Ada' : 'Bob', lastName: 'Replica' }));
    await deliver(clerkMembershipEvent('organizationMembership.created', { id: `orgmem_2replica${n}`, organizationId: team, userId: id, updatedAt: at }));
  }
  const tokenOf = (sub: string) => () => mintSessionToken(key, { sub, azp: WEB_ORIGIN, ...activeTeamClaims(team) });

  const feed = openFeed(feedClient(second.url, tokenOf('user_2replicaAda')));
  try {
    await feed.until(isType('ready'));
    await feedClient(first.url, tokenOf('user_2replicaBob')).expectations.create.mutate({ title: 'Written through replica 1' });
    const created = await feed.until(isType('expectation.created'));
    expect(created.data).toMatchObject({ expectation: { title: 'Written through replica 1', author: { displayName: 'Bob Replica' } } });

    await deliver(clerkUserEvent('user.updated', { id: 'user_2replicaBob', updatedAt: at + 1000, firstName: 'Roberto', lastName: 'Replica' }));
    const renamed = await feed.until(isType('profile.updated'));
    expect(renamed.data).toMatchObject({ profile: { displayName: 'Roberto Replica' } });
    expect(Number(renamed.id)).toBeGreaterThan(Number(created.id));
    expect(feed.messages.map((message) => message.data.type)).toEqual(['ready', 'expectation.created', 'profile.updated']);
  } finally {
    feed.close();
  }
  expect([...first.unexpectedErrors(), ...second.unexpectedErrors()]).toEqual([]);
});

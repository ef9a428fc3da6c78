import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type Database } from '@expectations/db';
import { applyClerkEvent, type WebhookDelivery } from '../src/mirror-writer/index';
import {
  clerkMembership,
  clerkOrganization,
  clerkUser,
  createTempDatabase,
  findMembership,
  findOrganizationByClerkId,
  findUserByClerkId,
  sqlRows,
  type TempDatabase,
} from '../src/testing/index';

// Two database handles on one database stand for two API replicas (on PostgreSQL two pools, as
// two processes would have; on SQLite two connections pairs to one file). Deliveries race.
let db: TempDatabase;
let replica: Database;
beforeEach(async () => {
  db = await createTempDatabase();
  replica = await openDatabase(db.url);
});
afterEach(async () => {
  await replica.close();
  await db.destroy();
});

const delivery = (svixId: string, event: WebhookDelivery['event']): WebhookDelivery => ({ svixId, event, receivedAt: Date.now() });

it('applies a message delivered to both replicas at once exactly once; the others are duplicates', async () => {
  const data = clerkUser({ clerkId: 'user_race', updatedAt: 1_000 });
  const message = delivery('msg_race', { type: 'user.created', timestamp: 1_000, data });
  const results = await Promise.all([db, replica, db, replica].map((on) => applyClerkEvent(on, message)));
  expect(results.map((result) => result.outcome).sort()).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate']);
  expect(new Set(results.map((result) => result.userId)).size).toBe(1);
  expect(await sqlRows(db, 'SELECT svix_id, duplicate_deliveries FROM webhook_events')).toEqual([{ svix_id: 'msg_race', duplicate_deliveries: 3 }]);
});

it('keeps the newest version of a user whatever order concurrent updates commit in', async () => {
  const versions = Array.from({ length: 24 }, (_, n) => 2_000 + n);
  const shuffled = [...versions].sort(() => Math.random() - 0.5);
  await Promise.all(
    shuffled.map((version, n) =>
      applyClerkEvent(n % 2 ? db : replica, delivery(`msg_v${version}`, {
        type: n % 3 ? 'user.updated' : 'user.created',
        timestamp: version,
        data: clerkUser({ clerkId: 'user_versions', lastName: `v${version}`, updatedAt: version }),
      })),
    ),
  );
  expect(await findUserByClerkId(db, 'user_versions')).toMatchObject({ lastName: `v${versions.at(-1)}`, clerkUpdatedAt: versions.at(-1) });
  expect(await sqlRows(db, 'SELECT count(*) AS n FROM users')).toEqual([{ n: 1 }]);
  expect(await sqlRows(db, "SELECT count(*) AS n FROM webhook_events WHERE outcome = 'applied'")).not.toEqual([{ n: 0 }]);
});

it('lets no concurrent update revive a user deleted at the same time', async () => {
  const racing = [
    delivery('msg_deleted', { type: 'user.deleted', timestamp: 3_000, data: { id: 'user_gone' } }),
    ...Array.from({ length: 10 }, (_, n) =>
      delivery(`msg_late${n}`, { type: 'user.updated', timestamp: 3_500 + n, data: clerkUser({ clerkId: 'user_gone', firstName: 'Back', updatedAt: 3_500 + n }) }),
    ),
  ];
  await Promise.all(racing.map((message, n) => applyClerkEvent(n % 2 ? db : replica, message)));
  const row = await findUserByClerkId(db, 'user_gone');
  // Whichever updates landed before the deletion, the deletion wins and erases them.
  expect(row).toMatchObject({ deletedAt: 3_000, firstName: null, email: null });
});

it('keeps the newest version of an organization whatever order concurrent updates commit in', async () => {
  const versions = Array.from({ length: 16 }, (_, n) => 2_000 + n);
  const shuffled = [...versions].sort(() => Math.random() - 0.5);
  await Promise.all(
    shuffled.map((version, n) =>
      applyClerkEvent(n % 2 ? db : replica, delivery(`msg_org_v${version}`, {
        type: n % 3 ? 'organization.updated' : 'organization.created',
        timestamp: version,
        data: clerkOrganization({ clerkId: 'org_versions', name: `v${version}`, updatedAt: version }),
      })),
    ),
  );
  expect(await findOrganizationByClerkId(db, 'org_versions')).toMatchObject({ name: `v${versions.at(-1)}`, clerkUpdatedAt: versions.at(-1) });
  expect(await sqlRows(db, 'SELECT count(*) AS n FROM organizations')).toEqual([{ n: 1 }]);
});

it('applies concurrent first deliveries of one membership on both replicas without a conflict, and its deletion wins', async () => {
  const pair = { clerkId: 'orgmem_race', clerkOrganizationId: 'org_race', clerkUserId: 'user_race', createdAt: 1_000 };
  const racing = [
    delivery('msg_mem_deleted', { type: 'organizationMembership.deleted', timestamp: 3_000, data: clerkMembership({ ...pair, updatedAt: 2_999 }) }),
    ...Array.from({ length: 11 }, (_, n) =>
      delivery(`msg_mem_${n}`, {
        type: n === 0 ? 'organizationMembership.created' : 'organizationMembership.updated',
        timestamp: 1_000 + n,
        data: clerkMembership({ ...pair, role: n % 2 ? 'org:admin' : 'org:member', updatedAt: 1_000 + n }),
      }),
    ),
  ];
  const results = await Promise.all(racing.map((message, n) => applyClerkEvent(n % 2 ? db : replica, message)));
  expect(results.filter((result) => result.outcome === 'applied').length).toBeGreaterThan(0);
  expect(await findMembership(db, 'org_race', 'user_race')).toMatchObject({ clerkId: 'orgmem_race', deletedAt: 3_000 });
  expect(await sqlRows(db, 'SELECT count(*) AS n FROM organization_memberships')).toEqual([{ n: 1 }]);
  expect(await sqlRows(db, 'SELECT count(*) AS n FROM webhook_events')).toEqual([{ n: racing.length }]);
});

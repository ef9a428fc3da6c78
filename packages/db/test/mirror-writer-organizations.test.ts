import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyClerkEvent, type ClerkEvent } from '../src/mirror-writer/index';
import {
  clerkMembership,
  clerkOrganization,
  createTempDatabase,
  findMembership,
  findOrganizationByClerkId,
  sqlRows,
  type TempDatabase,
  type TestMembership,
} from '../src/testing/index';

// The organizations mirror keeps the users mirror's promises: a repeated svix id changes nothing,
// an older version is stale, deletion is final, and the order deliveries arrive in does not matter.

let db: TempDatabase;
beforeEach(async () => {
  db = await createTempDatabase();
});
afterEach(() => db.destroy());

let sequence = 0;
async function deliver(event: ClerkEvent, svixId = `msg_org_test_${++sequence}`) {
  return { svixId, ...(await applyClerkEvent(db, { svixId, receivedAt: Date.now(), event })) };
}

const organizationEvent = (type: 'organization.created' | 'organization.updated', fields: Parameters<typeof clerkOrganization>[0]) => {
  const data = clerkOrganization(fields);
  return { type, timestamp: data.updated_at, data } as const;
};
const organizationDeleted = (id: string, timestamp: number) => ({ type: 'organization.deleted', timestamp, data: { id } }) as const;
const membershipEvent = (type: 'created' | 'updated' | 'deleted', membership: TestMembership, timestamp = membership.updatedAt ?? Date.now()) =>
  ({ type: `organizationMembership.${type}`, timestamp, data: clerkMembership(membership) }) as const;
const eventRow = async (svixId: string) => (await sqlRows(db, 'SELECT * FROM webhook_events WHERE svix_id = ?', [svixId]))[0];

describe('organizations', () => {
  const org = 'org_2abcTeamAAAAAAAAAAAAAAAAAA';

  it('mirrors a created organization and records the delivery with its organization', async () => {
    const result = await deliver(organizationEvent('organization.created', { clerkId: org, name: 'Analytical Engines', slug: 'engines', updatedAt: 1_000 }));
    expect(result.outcome).toBe('applied');
    expect(await findOrganizationByClerkId(db, org)).toMatchObject({
      name: 'Analytical Engines',
      slug: 'engines',
      imageUrl: 'https://img.example.test/logo.png',
      clerkUpdatedAt: 1_000,
      deletedAt: null,
    });
    expect(await eventRow(result.svixId)).toMatchObject({
      type: 'organization.created',
      clerk_organization_id: org,
      clerk_user_id: null,
      outcome: 'applied',
      clerk_updated_at: 1_000,
    });
  });

  it('applies a repeated svix id once, counting the duplicate, even with another body', async () => {
    const first = await deliver(organizationEvent('organization.created', { clerkId: org, name: 'First', updatedAt: 1_000 }), 'msg_org_dup');
    const again = await deliver(organizationEvent('organization.updated', { clerkId: org, name: 'Other', updatedAt: 9_000 }), 'msg_org_dup');
    expect([first.outcome, again.outcome]).toEqual(['applied', 'duplicate']);
    expect(await findOrganizationByClerkId(db, org)).toMatchObject({ name: 'First', clerkUpdatedAt: 1_000 });
    expect(await eventRow('msg_org_dup')).toMatchObject({ outcome: 'applied', duplicate_deliveries: 1 });
  });

  it('keeps the newest version whatever the order: an older update is stale, an update may create', async () => {
    expect((await deliver(organizationEvent('organization.updated', { clerkId: org, name: 'Renamed', updatedAt: 2_000 }))).outcome).toBe('applied');
    const late = await deliver(organizationEvent('organization.created', { clerkId: org, name: 'Original', updatedAt: 1_000 }));
    expect(late.outcome).toBe('stale');
    expect((await deliver(organizationEvent('organization.updated', { clerkId: org, name: 'Same time', updatedAt: 2_000 }))).outcome).toBe('stale');
    expect(await findOrganizationByClerkId(db, org)).toMatchObject({ name: 'Renamed', clerkUpdatedAt: 2_000 });
    expect((await eventRow(late.svixId))?.outcome).toBe('stale');
  });

  it('keeps the row on deletion, erases its name, slug and logo, and stays deleted', async () => {
    await deliver(organizationEvent('organization.created', { clerkId: org, name: 'Gone soon', updatedAt: 1_000 }));
    const deleted = await deliver(organizationDeleted(org, 5_000));
    expect(deleted.outcome).toBe('applied');
    expect(await eventRow(deleted.svixId)).toMatchObject({ type: 'organization.deleted', clerk_organization_id: org, clerk_updated_at: 5_000 });
    const tombstone = { name: null, slug: null, imageUrl: null, deletedAt: 5_000 };
    expect(await findOrganizationByClerkId(db, org)).toMatchObject(tombstone);
    expect((await deliver(organizationEvent('organization.updated', { clerkId: org, name: 'Zombie', updatedAt: 60_000 }))).outcome).toBe('stale');
    expect((await deliver(organizationDeleted(org, 6_000))).outcome).toBe('stale');
    expect(await findOrganizationByClerkId(db, org)).toMatchObject(tombstone);
  });

  it('leaves a tombstone when the deletion arrives before the creation', async () => {
    expect((await deliver(organizationDeleted(org, 5_000))).outcome).toBe('applied');
    expect((await deliver(organizationEvent('organization.created', { clerkId: org, name: 'Ghost', updatedAt: 1_000 }))).outcome).toBe('stale');
    expect(await findOrganizationByClerkId(db, org)).toMatchObject({ name: null, deletedAt: 5_000 });
    expect(await sqlRows(db, 'SELECT count(*) AS n FROM organizations')).toEqual([{ n: 1 }]);
  });
});

describe('organization memberships', () => {
  const org = 'org_2abcTeamBBBBBBBBBBBBBBBBBB';
  const user = 'user_2abcMemberCCCCCCCCCCCCCCC';
  const pair = { clerkOrganizationId: org, clerkUserId: user };

  it('lands before its organization and its user exist, and records both ids', async () => {
    const result = await deliver(membershipEvent('created', { ...pair, clerkId: 'orgmem_1', role: 'org:admin', updatedAt: 1_000 }));
    expect(result.outcome).toBe('applied');
    expect(await findMembership(db, org, user)).toMatchObject({ clerkId: 'orgmem_1', role: 'org:admin', clerkCreatedAt: 1_000, deletedAt: null });
    expect(await sqlRows(db, 'SELECT count(*) AS n FROM organizations')).toEqual([{ n: 0 }]);
    expect(await eventRow(result.svixId)).toMatchObject({
      type: 'organizationMembership.created',
      clerk_user_id: user,
      clerk_organization_id: org,
      outcome: 'applied',
    });
  });

  it('applies a repeated svix id once', async () => {
    await deliver(membershipEvent('created', { ...pair, clerkId: 'orgmem_1', role: 'org:member', updatedAt: 1_000 }), 'msg_mem_dup');
    const again = await deliver(membershipEvent('updated', { ...pair, clerkId: 'orgmem_1', role: 'org:admin', createdAt: 1_000, updatedAt: 2_000 }), 'msg_mem_dup');
    expect(again.outcome).toBe('duplicate');
    expect(await findMembership(db, org, user)).toMatchObject({ role: 'org:member', clerkUpdatedAt: 1_000 });
    expect(await eventRow('msg_mem_dup')).toMatchObject({ duplicate_deliveries: 1 });
  });

  it('applies a role change and ignores an older one that arrives after it', async () => {
    await deliver(membershipEvent('created', { ...pair, clerkId: 'orgmem_1', role: 'org:member', createdAt: 1_000, updatedAt: 1_000 }));
    expect((await deliver(membershipEvent('updated', { ...pair, clerkId: 'orgmem_1', role: 'org:admin', createdAt: 1_000, updatedAt: 3_000 }))).outcome).toBe('applied');
    expect((await deliver(membershipEvent('updated', { ...pair, clerkId: 'orgmem_1', role: 'org:member', createdAt: 1_000, updatedAt: 2_000 }))).outcome).toBe('stale');
    expect(await findMembership(db, org, user)).toMatchObject({ role: 'org:admin', clerkUpdatedAt: 3_000 });
  });

  it('ends a membership for good: later creates and updates of it change nothing', async () => {
    const membership = { ...pair, clerkId: 'orgmem_1', role: 'org:member', createdAt: 1_000, updatedAt: 1_000 };
    await deliver(membershipEvent('created', membership));
    expect((await deliver(membershipEvent('deleted', membership, 5_000))).outcome).toBe('applied');
    expect((await deliver(membershipEvent('updated', { ...membership, role: 'org:admin', updatedAt: 9_000 }))).outcome).toBe('stale');
    expect((await deliver(membershipEvent('created', membership))).outcome).toBe('stale');
    expect(await findMembership(db, org, user)).toMatchObject({ clerkId: 'orgmem_1', role: 'org:member', deletedAt: 5_000 });
  });

  it('leaves a tombstone when the deletion arrives before the creation', async () => {
    const membership = { ...pair, clerkId: 'orgmem_1', role: 'org:member', createdAt: 1_000, updatedAt: 1_000 };
    expect((await deliver(membershipEvent('deleted', membership, 5_000))).outcome).toBe('applied');
    expect((await deliver(membershipEvent('created', membership))).outcome).toBe('stale');
    expect(await findMembership(db, org, user)).toMatchObject({ deletedAt: 5_000 });
  });

  it('lets a user removed and added again be a member again, and the old membership’s late events change nothing', async () => {
    const first = { ...pair, clerkId: 'orgmem_first', role: 'org:admin', createdAt: 1_000, updatedAt: 1_000 };
    const second = { ...pair, clerkId: 'orgmem_second', role: 'org:member', createdAt: 10_000, updatedAt: 10_000 };
    await deliver(membershipEvent('created', first));
    await deliver(membershipEvent('deleted', first, 5_000));
    expect((await deliver(membershipEvent('created', second))).outcome).toBe('applied');
    expect((await deliver(membershipEvent('updated', { ...first, updatedAt: 4_000 }))).outcome).toBe('stale');
    expect((await deliver(membershipEvent('deleted', first, 5_000))).outcome).toBe('stale');
    expect(await findMembership(db, org, user)).toMatchObject({ clerkId: 'orgmem_second', role: 'org:member', clerkCreatedAt: 10_000, deletedAt: null });
    expect(await sqlRows(db, 'SELECT count(*) AS n FROM organization_memberships')).toEqual([{ n: 1 }]);
  });

  it('keeps the later membership when the old one’s events arrive after it, in any order', async () => {
    const first = { ...pair, clerkId: 'orgmem_first', role: 'org:admin', createdAt: 1_000, updatedAt: 1_000 };
    const second = { ...pair, clerkId: 'orgmem_second', role: 'org:member', createdAt: 10_000, updatedAt: 10_000 };
    await deliver(membershipEvent('created', second));
    expect((await deliver(membershipEvent('deleted', first, 5_000))).outcome).toBe('stale');
    expect((await deliver(membershipEvent('created', first))).outcome).toBe('stale');
    expect(await findMembership(db, org, user)).toMatchObject({ clerkId: 'orgmem_second', deletedAt: null });
    // And the later membership's own deletion still ends it.
    expect((await deliver(membershipEvent('deleted', second, 20_000))).outcome).toBe('applied');
    expect(await findMembership(db, org, user)).toMatchObject({ clerkId: 'orgmem_second', deletedAt: 20_000 });
  });
});

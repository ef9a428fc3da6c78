import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQueries, type Queries } from '@expectations/db';
import {
  createTempDatabase,
  deleteMirroredOrganization,
  deleteMirroredUser,
  mirrorMembership,
  mirrorOrganization,
  mirrorUser,
  type TempDatabase,
} from '@expectations/db/testing';

let db: TempDatabase;
let q: Queries;
beforeEach(async () => {
  db = await createTempDatabase();
  q = createQueries(db);
});
afterEach(() => db.destroy());

describe('hasLiveMembership', () => {
  it('is true for a live member of a live organization', async () => {
    const ada = await mirrorUser(db);
    const team = await mirrorOrganization(db);
    await mirrorMembership(db, { clerkOrganizationId: team.clerkId, clerkUserId: ada.clerkId });
    expect(await q.hasLiveMembership(ada.clerkId, team.clerkId)).toBe(true);
  });

  it('is false for another user or another organization', async () => {
    const ada = await mirrorUser(db);
    const bob = await mirrorUser(db);
    const team = await mirrorOrganization(db);
    const other = await mirrorOrganization(db);
    await mirrorMembership(db, { clerkOrganizationId: team.clerkId, clerkUserId: ada.clerkId });
    expect(await q.hasLiveMembership(bob.clerkId, team.clerkId)).toBe(false);
    expect(await q.hasLiveMembership(ada.clerkId, other.clerkId)).toBe(false);
    expect(await q.hasLiveMembership('user_unknown', 'org_unknown')).toBe(false);
  });

  it('is false until the membership’s organization and user have both arrived', async () => {
    const team = 'org_2abcLateAAAAAAAAAAAAAAAAAA';
    const user = 'user_2abcLateBBBBBBBBBBBBBBBBB';
    await mirrorMembership(db, { clerkOrganizationId: team, clerkUserId: user });
    expect(await q.hasLiveMembership(user, team)).toBe(false);
    await mirrorOrganization(db, { clerkId: team });
    expect(await q.hasLiveMembership(user, team)).toBe(false);
    await mirrorUser(db, { clerkId: user });
    expect(await q.hasLiveMembership(user, team)).toBe(true);
  });

  it('is false once the membership, the organization or the user is deleted', async () => {
    const setUp = async () => {
      const user = await mirrorUser(db);
      const team = await mirrorOrganization(db);
      const membership = await mirrorMembership(db, { clerkOrganizationId: team.clerkId, clerkUserId: user.clerkId, updatedAt: 1_000 });
      expect(await q.hasLiveMembership(user.clerkId, team.clerkId)).toBe(true);
      return { user, team, membership };
    };

    const removed = await setUp();
    await mirrorMembership(db, { clerkOrganizationId: removed.team.clerkId, clerkUserId: removed.user.clerkId, clerkId: removed.membership.id, createdAt: 1_000, updatedAt: 1_000 }, 'organizationMembership.deleted');
    expect(await q.hasLiveMembership(removed.user.clerkId, removed.team.clerkId)).toBe(false);

    const teamGone = await setUp();
    await deleteMirroredOrganization(db, teamGone.team.clerkId);
    expect(await q.hasLiveMembership(teamGone.user.clerkId, teamGone.team.clerkId)).toBe(false);

    const userGone = await setUp();
    await deleteMirroredUser(db, userGone.user.clerkId);
    expect(await q.hasLiveMembership(userGone.user.clerkId, userGone.team.clerkId)).toBe(false);
  });

  it('is true again for a user added back after being removed', async () => {
    const ada = await mirrorUser(db);
    const team = await mirrorOrganization(db);
    const pair = { clerkOrganizationId: team.clerkId, clerkUserId: ada.clerkId };
    const first = await mirrorMembership(db, { ...pair, createdAt: 1_000, updatedAt: 1_000 });
    await mirrorMembership(db, { ...pair, clerkId: first.id, createdAt: 1_000, updatedAt: 1_000 }, 'organizationMembership.deleted');
    expect(await q.hasLiveMembership(ada.clerkId, team.clerkId)).toBe(false);
    await mirrorMembership(db, { ...pair, createdAt: 2_000, updatedAt: 2_000 });
    expect(await q.hasLiveMembership(ada.clerkId, team.clerkId)).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMembership, findOrganizationByClerkId } from '@expectations/db/testing';
import type { ClerkOrganizationJson, ClerkOrganizationMembershipJson, ClerkUserJson } from '@expectations/clerk-emulator';
import { noDrift, Stack } from '../src/stack';

const sorted = (ids: string[]) => [...ids].sort();

/**
 * drift.test.ts's outage, for teams: while the API is down an organization is created, renamed
 * and deleted, and members are added, given another role, removed, and removed and added again.
 * Every one of those messages is given up. The audit must see exactly that drift, --resync must
 * repair what is missing or stale through the webhook, and recovering the messages the ghosts.
 */
describe('organization and membership drift after an outage, found and repaired', () => {
  let stack: Stack;
  let users: ClerkUserJson[];
  /** Renamed during the outage: stale. */
  let renamed: ClerkOrganizationJson;
  /** Lost its member users[2] during the outage. */
  let shrunk: ClerkOrganizationJson;
  /** Deleted during the outage: a ghost, and so is its membership. */
  let deleted: ClerkOrganizationJson;
  let deletedOrganizationsMembership: ClerkOrganizationMembershipJson;
  /** Created during the outage: missing, with its membership. */
  let created: ClerkOrganizationJson;
  let createdMembership: ClerkOrganizationMembershipJson;
  /** users[1] in `renamed`, made an admin during the outage: stale. */
  let promoted: ClerkOrganizationMembershipJson;
  /** users[2] in `shrunk`, removed during the outage: a ghost. */
  let removed: ClerkOrganizationMembershipJson;
  /** users[3] in `shrunk`, removed and added again during the outage: the new membership is missing. */
  let rejoinedBefore: ClerkOrganizationMembershipJson;
  let rejoined: ClerkOrganizationMembershipJson;

  beforeAll(async () => {
    stack = await Stack.start({ webhookMaxAttempts: 2, bapiRateLimit: null });
    await stack.startApi();
    users = [];
    for (let n = 0; n < 4; n++) users.push(await stack.createUser(n));
    renamed = await stack.createOrganization('Renamed Ltd', users[0]!.id);
    shrunk = await stack.createOrganization('Shrunk Ltd', users[0]!.id);
    deleted = await stack.createOrganization('Deleted Ltd', users[3]!.id);
    deletedOrganizationsMembership = await stack.membership(deleted.id, users[3]!.id);
    promoted = await stack.addMember(renamed.id, users[1]!.id);
    removed = await stack.addMember(shrunk.id, users[2]!.id);
    rejoinedBefore = await stack.addMember(shrunk.id, users[3]!.id);
    // 4 users, 3 organizations, 6 memberships.
    await stack.until('everything to reach the mirror', () => stack.clerk.webhookStats().delivered === 13);

    await stack.stopApi();
    created = await stack.createOrganization('Created Ltd', users[1]!.id);
    createdMembership = await stack.membership(created.id, users[1]!.id);
    renamed = await stack.admin<ClerkOrganizationJson>('PATCH', `/admin/organizations/${renamed.id}`, { name: 'Renamed Again Ltd' });
    promoted = await stack.admin<ClerkOrganizationMembershipJson>('PATCH', `/admin/organizations/${renamed.id}/memberships/${users[1]!.id}`, { role: 'org:admin' });
    await stack.admin('DELETE', `/admin/organizations/${shrunk.id}/memberships/${users[2]!.id}`);
    await stack.admin('DELETE', `/admin/organizations/${shrunk.id}/memberships/${users[3]!.id}`);
    rejoined = await stack.addMember(shrunk.id, users[3]!.id);
    await stack.admin('DELETE', `/admin/organizations/${deleted.id}`);
    await stack.until('eight messages to be given up', () => stack.clerk.webhookStats().given_up === 8);
    expect(stack.clerk.webhookStats()).toMatchObject({ pending: 0, delivered: 13, given_up: 8 });
    expect(rejoined.id).not.toBe(rejoinedBefore.id);
    await stack.startApi();
  });
  afterAll(() => stack.stop());

  it('the audit reports exactly the organizations and memberships changed during the outage, users apart, and exits 1', async () => {
    const { code, report } = await stack.auditJson();
    expect(code).toBe(1);
    expect({ checked: report.checked, missing: report.missing, stale: report.stale, ghosts: report.ghosts }).toEqual({ checked: 4, missing: [], stale: [], ghosts: [] });
    expect(report.organizations).toEqual({ checked: 3, missing: [created.id], stale: [renamed.id], ghosts: [deleted.id] });
    // The pair users[3] in `shrunk` was seen in Clerk (with its new membership): not a ghost.
    expect(report.memberships).toMatchObject({ checked: 5, stale: [promoted.id] });
    expect(sorted(report.memberships.missing)).toEqual(sorted([createdMembership.id, rejoined.id]));
    // A deleted organization's memberships are gone from Clerk with it, and live in the mirror.
    expect(sorted(report.memberships.ghosts)).toEqual(sorted([removed.id, deletedOrganizationsMembership.id]));
  });

  it('prints a section of each kind on a terminal, without --json', async () => {
    const { code, stdout } = await stack.audit();
    expect(code).toBe(1);
    expect(stdout).toContain('Checked 4 Clerk users, 3 organizations and 5 memberships');
    expect(stdout).toContain('Users: no drift.');
    expect(stdout).toContain('Organizations: 1 missing, 1 stale, 1 ghost.');
    expect(stdout).toContain('Memberships: 2 missing, 1 stale, 2 ghosts.');
    expect(stdout).toMatch(new RegExp(`stale\\s*│\\s*${promoted.id}\\s*│\\s*${users[1]!.id} in ${renamed.id}: Clerk `));
    expect(stdout).toMatch(new RegExp(`ghost\\s*│\\s*${deleted.id}`));
    expect(stdout).toContain('a fresh organization.updated or organizationMembership.updated for each');
    expect(stdout).toContain('their organization.deleted or organizationMembership.deleted was lost');
  });

  it('--resync repairs missing and stale organizations and memberships through the webhook; the ghosts stay for recovery', async () => {
    const { code, report } = await stack.auditJson(['--resync', '--wait-seconds', '60']);
    expect(code).toBe(1);
    expect(report).toEqual({
      ...noDrift({ users: 4, organizations: 3, memberships: 5 }),
      organizations: { checked: 3, missing: [], stale: [], ghosts: [deleted.id] },
      memberships: { checked: 5, missing: [], stale: [], ghosts: expect.any(Array) },
    });
    expect(sorted(report.memberships.ghosts)).toEqual(sorted([removed.id, deletedOrganizationsMembership.id]));

    await stack.readMirror(async (db) => {
      expect(await findOrganizationByClerkId(db, created.id)).toMatchObject({ name: 'Created Ltd', deletedAt: null });
      expect(await findOrganizationByClerkId(db, renamed.id)).toMatchObject({ name: 'Renamed Again Ltd', deletedAt: null });
      expect(await findMembership(db, created.id, users[1]!.id)).toMatchObject({ clerkId: createdMembership.id, role: 'org:admin', deletedAt: null });
      expect(await findMembership(db, renamed.id, users[1]!.id)).toMatchObject({ clerkId: promoted.id, role: 'org:admin', deletedAt: null });
      // The new membership took the pair's row over from the one removed.
      expect(await findMembership(db, shrunk.id, users[3]!.id)).toMatchObject({ clerkId: rejoined.id, role: 'org:member', deletedAt: null });
    });
    // Clerk was asked through the Backend API: the documented key marks each resynced one.
    const mark = { mirrorResyncRequestedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) };
    const organization = await stack.admin<ClerkOrganizationJson & { private_metadata: unknown }>('GET', `/admin/organizations/${created.id}`);
    expect(organization.private_metadata).toEqual(mark);
    const { data: memberships } = await stack.admin<{ data: ClerkOrganizationMembershipJson[] }>('GET', `/admin/organizations/${created.id}/memberships`);
    expect(memberships.map((membership) => membership.private_metadata)).toEqual([mark]);
  });

  it('recovering the lost messages repairs the ghosts; the deleted organization’s membership ends with it, and the audit exits 0', async () => {
    expect(await stack.admin('POST', '/admin/webhooks/recover', {})).toEqual({ recovered: 8 });
    await stack.until('the recovered messages to be delivered', () => {
      const stats = stack.clerk.webhookStats();
      return stats.pending === 0 && stats.given_up === 0;
    });
    const { code, report } = await stack.auditJson();
    expect(report).toEqual(noDrift({ users: 4, organizations: 3, memberships: 5 }));
    expect(code).toBe(0);
    const { stdout } = await stack.audit();
    expect(stdout).toContain('No drift: the mirror matches Clerk.');
    await stack.readMirror(async (db) => {
      expect((await findOrganizationByClerkId(db, deleted.id))?.deletedAt).not.toBeNull();
      expect((await findMembership(db, shrunk.id, users[2]!.id))?.deletedAt).not.toBeNull();
      // Clerk sends only organization.deleted: the membership row stays, ended by the tombstone, and is no ghost.
      expect(await findMembership(db, deleted.id, users[3]!.id)).toMatchObject({ clerkId: deletedOrganizationsMembership.id, deletedAt: null });
    });
  });
});

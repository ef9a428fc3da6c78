import { afterEach, describe, expect, it } from 'vitest';
import type { ClerkOrganizationMembershipJson, ClerkUserJson, ClerkWebhookEvent } from '../src/clerk-json';
import { EmulatorRequestError } from '../src/errors';
import type { EmulatorStore } from '../src/store';
import type { ChangeContext } from '../src/user-directory';
import { openDirectories, tempDir } from './helpers';

const context: ChangeContext = { clientIp: '127.0.0.1', userAgent: 'test', verification: 'admin' };

/** Every event queued so far, oldest first, with the id the outbox filed it under. */
function queuedEvents(store: EmulatorStore): Array<ClerkWebhookEvent & { objectId: string }> {
  return store.db
    .prepare<[], { object_id: string; payload: string }>('SELECT object_id, payload FROM webhook_outbox ORDER BY seq')
    .all()
    .map((row) => ({ ...(JSON.parse(row.payload) as ClerkWebhookEvent), objectId: row.object_id }));
}

/** The rejection's status and code, or a failure if `change` succeeded. */
function refusal(change: () => unknown): { status: number; code: string } {
  try {
    change();
  } catch (error) {
    if (error instanceof EmulatorRequestError) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error('the change was accepted');
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function setUp() {
  const dir = tempDir();
  const directories = openDirectories(dir.path);
  cleanups.push(dir.remove, () => directories.store.close());
  const person = (first: string): ClerkUserJson =>
    directories.users.create({ first_name: first, last_name: 'Tester', email_address: `${first.toLowerCase()}@example.org` }, context);
  return { ...directories, dir, person };
}

describe('organizations in the store', () => {
  it('creates an organization in Clerk’s JSON, its creator an admin, each with its event', () => {
    const { store, organizations, person } = setUp();
    const ada = person('Ada');
    const before = Date.now();
    const organization = organizations.create({ name: 'Analytical Engines', createdBy: ada.id }, context);

    expect(organization).toEqual({
      object: 'organization',
      id: expect.stringMatching(/^org_[0-9A-Za-z]{27}$/),
      name: 'Analytical Engines',
      slug: 'analytical-engines',
      image_url: '',
      has_image: false,
      members_count: 1,
      pending_invitations_count: 0,
      max_allowed_memberships: 0,
      admin_delete_enabled: true,
      public_metadata: {},
      private_metadata: {},
      created_by: ada.id,
      created_at: expect.any(Number),
      updated_at: organization.created_at,
    });
    // Milliseconds, as Clerk's.
    expect(organization.created_at).toBeGreaterThanOrEqual(before);
    expect(organization.created_at).toBeLessThanOrEqual(Date.now());

    const membership = organizations.membership(organization.id, ada.id);
    expect(membership).toEqual({
      object: 'organization_membership',
      id: expect.stringMatching(/^orgmem_[0-9A-Za-z]{27}$/),
      organization,
      permissions: expect.arrayContaining(['org:sys_memberships:read', 'org:sys_memberships:manage', 'org:sys_profile:manage']),
      public_metadata: {},
      private_metadata: {},
      public_user_data: { first_name: 'Ada', last_name: 'Tester', image_url: ada.image_url, has_image: false, identifier: 'ada@example.org', user_id: ada.id },
      role: 'org:admin',
      role_name: 'Admin',
      created_at: organization.created_at,
      updated_at: organization.created_at,
    });

    const events = queuedEvents(store).filter((event) => event.type !== 'user.created');
    expect(events.map((event) => [event.type, event.objectId])).toEqual([
      ['organization.created', organization.id],
      ['organizationMembership.created', membership!.id],
    ]);
    expect(events[0]!.data).toEqual(organization);
    expect(events[1]!.data).toEqual(membership);
    expect(events[0]).toMatchObject({ object: 'event', instance_id: 'ins_test', timestamp: organization.created_at });
  });

  it('keeps organizations and memberships across a restart, as it keeps users', () => {
    const { dir, store, organizations, person } = setUp();
    const ada = person('Ada');
    const grace = person('Grace');
    const organization = organizations.create({ name: 'Navy', createdBy: ada.id }, context);
    organizations.addMember(organization.id, grace.id, 'org:member', context);
    const before = { organization: organizations.get(organization.id), memberships: organizations.membershipsOfUser(grace.id) };
    store.close();

    const reopened = openDirectories(dir.path);
    try {
      expect(reopened.organizations.get(organization.id)).toEqual(before.organization);
      expect(reopened.organizations.membershipsOfUser(grace.id)).toEqual(before.memberships);
      expect(reopened.organizations.get(organization.id)?.members_count).toBe(2);
    } finally {
      reopened.store.close();
    }
  });

  it('derives the slug from the name, unique; a given slug must be free', () => {
    const { organizations, person } = setUp();
    const ada = person('Ada');
    expect(organizations.create({ name: 'Acme, Inc.', createdBy: ada.id }, context).slug).toBe('acme-inc');
    expect(organizations.create({ name: 'ACME inc', createdBy: ada.id }, context).slug).toBe('acme-inc-2');
    expect(organizations.create({ name: 'Café Crème', createdBy: ada.id }, context).slug).toBe('cafe-creme');
    expect(organizations.create({ name: '!!!', createdBy: ada.id }, context).slug).toBe('organization');
    expect(organizations.create({ name: 'Mine', slug: 'my-team', createdBy: ada.id }, context).slug).toBe('my-team');
    expect(refusal(() => organizations.create({ name: 'Other', slug: 'acme-inc', createdBy: ada.id }, context))).toEqual({ status: 409, code: 'form_identifier_exists' });
    const other = organizations.create({ name: 'Other', createdBy: ada.id }, context);
    expect(refusal(() => organizations.update(other.id, { slug: 'my-team' }, context)).code).toBe('form_identifier_exists');
  });

  it('updates an organization with a newer updated_at and organization.updated; a change to nothing is no change', () => {
    const { store, organizations, person } = setUp();
    const ada = person('Ada');
    const organization = organizations.create({ name: 'Old name', createdBy: ada.id }, context);
    const count = () => queuedEvents(store).length;
    const before = count();

    const renamed = organizations.update(organization.id, { name: 'New name' }, context);
    expect(renamed).toMatchObject({ name: 'New name', slug: 'old-name' });
    expect(renamed.updated_at).toBeGreaterThan(organization.updated_at);
    expect(queuedEvents(store).at(-1)).toMatchObject({ type: 'organization.updated', data: renamed });

    expect(organizations.update(organization.id, { name: 'New name' }, context)).toEqual(renamed);
    expect(count()).toBe(before + 1);

    const touched = organizations.updateMetadata(organization.id, { private_metadata: { resync: 'now', keep: { a: 1 } } }, 'merge', context);
    expect(touched.private_metadata).toEqual({ resync: 'now', keep: { a: 1 } });
    const merged = organizations.updateMetadata(organization.id, { private_metadata: { keep: { b: 2 }, resync: null } }, 'merge', context);
    expect(merged.private_metadata).toEqual({ keep: { a: 1, b: 2 } });
    const replaced = organizations.updateMetadata(organization.id, { private_metadata: { only: true } }, 'replace', context);
    expect(replaced.private_metadata).toEqual({ only: true });
    expect(replaced.updated_at).toBeGreaterThan(merged.updated_at);
    expect(count()).toBe(before + 4);
  });

  it('adds members, changes roles and removes members, each with its event; the last admin stays', () => {
    const { store, organizations, person } = setUp();
    const [ada, grace, linus] = [person('Ada'), person('Grace'), person('Linus')];
    const organization = organizations.create({ name: 'Team', createdBy: ada.id }, context);

    const added = organizations.addMember(organization.id, grace.id, 'org:member', context);
    expect(added).toMatchObject({ role: 'org:member', role_name: 'Member', permissions: ['org:sys_memberships:read'], organization: { members_count: 2 } });
    expect(queuedEvents(store).at(-1)).toMatchObject({ type: 'organizationMembership.created', data: added, objectId: added.id });
    expect(refusal(() => organizations.addMember(organization.id, grace.id, 'org:admin', context))).toEqual({ status: 409, code: 'already_a_member_in_organization' });
    expect(refusal(() => organizations.addMember(organization.id, 'user_unknown', 'org:member', context)).status).toBe(404);
    expect(refusal(() => organizations.addMember('org_unknown', linus.id, 'org:member', context)).status).toBe(404);

    const eventsBefore = queuedEvents(store).length;
    expect(refusal(() => organizations.setRole(organization.id, ada.id, 'org:member', context))).toEqual({ status: 403, code: 'organization_minimum_permissions_needed' });
    expect(refusal(() => organizations.removeMember(organization.id, ada.id, context))).toEqual({ status: 403, code: 'organization_minimum_permissions_needed' });
    expect(queuedEvents(store)).toHaveLength(eventsBefore);
    expect(organizations.membership(organization.id, ada.id)?.role).toBe('org:admin');

    const promoted = organizations.setRole(organization.id, grace.id, 'org:admin', context);
    expect(promoted).toMatchObject({ role: 'org:admin', role_name: 'Admin' });
    expect(promoted.updated_at).toBeGreaterThan(added.updated_at);
    expect(queuedEvents(store).at(-1)).toMatchObject({ type: 'organizationMembership.updated', data: promoted });
    expect(organizations.setRole(organization.id, grace.id, 'org:admin', context)).toEqual(promoted);
    expect(queuedEvents(store)).toHaveLength(eventsBefore + 1);

    // With two admins, either may go.
    const demoted = organizations.setRole(organization.id, ada.id, 'org:member', context);
    expect(demoted.role).toBe('org:member');
    const removed = organizations.removeMember(organization.id, ada.id, context);
    expect(removed).toMatchObject({ id: demoted.id, role: 'org:member', public_user_data: { user_id: ada.id }, organization: { members_count: 1 } });
    expect(queuedEvents(store).at(-1)).toMatchObject({ type: 'organizationMembership.deleted', data: removed, objectId: removed.id });
    expect(organizations.membership(organization.id, ada.id)).toBeUndefined();
    expect(refusal(() => organizations.removeMember(organization.id, ada.id, context)).status).toBe(404);
    expect(organizations.get(organization.id)?.members_count).toBe(1);
  });

  it('merges a membership’s metadata and sends organizationMembership.updated', () => {
    const { store, organizations, person } = setUp();
    const ada = person('Ada');
    const organization = organizations.create({ name: 'Team', createdBy: ada.id }, context);
    const before = organizations.membership(organization.id, ada.id)!;
    const updated = organizations.updateMembershipMetadata(organization.id, ada.id, { public_metadata: { seat: 1 }, private_metadata: { resync: 't1' } }, context);
    expect(updated).toMatchObject({ public_metadata: { seat: 1 }, private_metadata: { resync: 't1' } });
    expect(updated.updated_at).toBeGreaterThan(before.updated_at);
    expect(queuedEvents(store).at(-1)).toMatchObject({ type: 'organizationMembership.updated', data: updated });
  });

  it('deleting a user removes each of their memberships with organizationMembership.deleted, then sends user.deleted', () => {
    const { store, users, organizations, person } = setUp();
    const [ada, grace] = [person('Ada'), person('Grace')];
    const first = organizations.create({ name: 'First', createdBy: ada.id }, context);
    const second = organizations.create({ name: 'Second', createdBy: grace.id }, context);
    organizations.addMember(second.id, ada.id, 'org:member', context);
    const memberships = organizations.membershipsOfUser(ada.id);
    expect(memberships).toHaveLength(2);
    const before = queuedEvents(store).length;

    // Ada is First's only admin: a user's deletion goes ahead anyway, as Clerk's does.
    users.delete(ada.id, context);
    const events = queuedEvents(store).slice(before);
    expect(events.map((event) => event.type)).toEqual(['organizationMembership.deleted', 'organizationMembership.deleted', 'user.deleted']);
    const deleted = events.slice(0, 2).map((event) => event.data as ClerkOrganizationMembershipJson);
    expect(deleted.map((membership) => membership.id).sort()).toEqual(memberships.map((membership) => membership.id).sort());
    // The whole membership, with the user as they were.
    expect(deleted[0]).toMatchObject({ object: 'organization_membership', public_user_data: { user_id: ada.id, first_name: 'Ada' }, organization: { object: 'organization' } });
    expect(events[2]!.timestamp).toBeGreaterThanOrEqual(events[0]!.timestamp);
    expect(organizations.membershipsOfUser(ada.id)).toEqual([]);
    expect(organizations.get(first.id)?.members_count).toBe(0);
    expect(organizations.get(second.id)?.members_count).toBe(1);
  });

  it('deleting an organization sends organization.deleted alone, and its memberships go with it', () => {
    const { store, organizations, person } = setUp();
    const [ada, grace] = [person('Ada'), person('Grace')];
    const organization = organizations.create({ name: 'Doomed', createdBy: ada.id }, context);
    organizations.addMember(organization.id, grace.id, 'org:member', context);
    const before = queuedEvents(store).length;

    expect(organizations.delete(organization.id, context)).toEqual({ object: 'organization', id: organization.id, deleted: true });
    const events = queuedEvents(store).slice(before);
    expect(events).toEqual([expect.objectContaining({ type: 'organization.deleted', data: { object: 'organization', id: organization.id, deleted: true } })]);
    expect(events[0]!.timestamp).toBeGreaterThan(organization.updated_at);
    expect(organizations.get(organization.id)).toBeUndefined();
    expect(organizations.membershipsOfUser(grace.id)).toEqual([]);
    expect(refusal(() => organizations.delete(organization.id, context)).status).toBe(404);
    // Its slug is free again.
    expect(organizations.create({ name: 'Doomed', createdBy: ada.id }, context).slug).toBe('doomed');
  });

  it('commits nothing when a change is refused', () => {
    const { store, organizations, person } = setUp();
    const ada = person('Ada');
    const before = queuedEvents(store).length;
    expect(refusal(() => organizations.create({ name: 'Nobody’s', createdBy: 'user_unknown' }, context)).status).toBe(404);
    expect(organizations.list()).toEqual([]);
    expect(queuedEvents(store)).toHaveLength(before);
    organizations.create({ name: 'Taken', createdBy: ada.id }, context);
    expect(refusal(() => organizations.create({ name: 'Again', slug: 'taken', createdBy: ada.id }, context)).status).toBe(409);
    expect(organizations.list().map((organization) => organization.name)).toEqual(['Taken']);
  });
});

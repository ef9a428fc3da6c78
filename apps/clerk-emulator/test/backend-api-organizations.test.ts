import { createClerkClient, type ClerkClient } from '@clerk/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClerkOrganizationJson, ClerkOrganizationMembershipJson, ClerkUserJson, ClerkWebhookEvent, RunningClerkEmulator } from '../src/index';
import { admin, createUser, startTestEmulator, startWebhookReceiver, tempDir, waitFor, type WebhookReceiver } from './helpers';

/** The rejection of a @clerk/backend call, as the fields the SDK gives callers. */
async function clerkError(call: Promise<unknown>): Promise<{ status?: number; code?: string }> {
  try {
    await call;
  } catch (error) {
    const apiError = error as { status?: number; errors?: Array<{ code?: string }> };
    return { status: apiError.status, code: apiError.errors?.[0]?.code };
  }
  throw new Error('the call succeeded');
}

describe('the Backend API’s organizations, through @clerk/backend', () => {
  let emulator: RunningClerkEmulator;
  let receiver: WebhookReceiver;
  let clerk: ClerkClient;
  const dir = tempDir();
  let owner: ClerkUserJson;
  const members: ClerkUserJson[] = [];
  const organizations: ClerkOrganizationJson[] = [];

  const bapi = (method: string, path: string, body?: unknown) =>
    fetch(`${emulator.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${emulator.config.secretKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const eventWhere = (check: (event: ClerkWebhookEvent) => boolean) =>
    waitFor('the webhook', () => receiver.received.map((delivery) => JSON.parse(delivery.body) as ClerkWebhookEvent).find(check));

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    emulator = await startTestEmulator({ dataDir: dir.path, webhookUrl: receiver.url, bapiRateLimit: null });
    clerk = createClerkClient({ secretKey: emulator.config.secretKey, apiUrl: emulator.url });
    owner = await createUser(emulator, { first_name: 'Olive', last_name: 'Owner', email_address: 'owner@example.org' });
    for (let n = 0; n < 3; n++) members.push(await createUser(emulator, { first_name: `Member${n}`, last_name: 'M', email_address: `member${n}@example.org` }));
    for (let n = 0; n < 12; n++) {
      const { body } = await admin<ClerkOrganizationJson>(emulator, 'POST', '/admin/organizations', { name: `Team ${String(n).padStart(2, '0')}`, created_by: owner.id });
      organizations.push(body);
    }
    for (const [index, member] of members.entries()) {
      await admin(emulator, 'POST', `/admin/organizations/${organizations[0]!.id}/memberships`, { user_id: member.id, role: index === 0 ? 'org:admin' : 'org:member' });
    }
  });
  afterAll(async () => {
    await emulator.close();
    await receiver.close();
    dir.remove();
  });

  it('lists organizations newest first, ten to a page, with the total count; pages in either order', async () => {
    const first = await clerk.organizations.getOrganizationList();
    expect(first.totalCount).toBe(12);
    expect(first.data.map((organization) => organization.id)).toEqual(organizations.slice(-10).reverse().map((organization) => organization.id));
    expect(first.data[0]).toMatchObject({ name: 'Team 11', slug: 'team-11', membersCount: 1, createdBy: owner.id, privateMetadata: {} });

    for (const orderBy of ['-created_at', '+created_at', '+name', '-name'] as const) {
      const seen: string[] = [];
      for (let offset = 0; ; offset += 5) {
        const { data } = await clerk.organizations.getOrganizationList({ limit: 5, offset, orderBy });
        seen.push(...data.map((organization) => organization.id));
        if (data.length < 5) break;
      }
      const expected = organizations.map((organization) => organization.id);
      expect(seen, orderBy).toEqual(orderBy.startsWith('-') ? [...expected].reverse() : expected);
    }
    const byMembers = await clerk.organizations.getOrganizationList({ orderBy: '-members_count', limit: 1 });
    expect(byMembers.data[0]?.id).toBe(organizations[0]!.id);
  });

  it('filters by query (id, or part of name or slug) and by organization_id', async () => {
    const byName = await clerk.organizations.getOrganizationList({ query: 'team 0', limit: 100 });
    expect(byName.data.map((organization) => organization.name).sort()).toEqual(Array.from({ length: 10 }, (_, n) => `Team 0${n}`));
    expect(byName.totalCount).toBe(10);
    const bySlug = await clerk.organizations.getOrganizationList({ query: 'team-11' });
    expect(bySlug.data.map((organization) => organization.id)).toEqual([organizations[11]!.id]);
    const byId = await clerk.organizations.getOrganizationList({ organizationId: [organizations[2]!.id, organizations[4]!.id, 'org_unknown'] });
    expect(byId.data.map((organization) => organization.id).sort()).toEqual([organizations[2]!.id, organizations[4]!.id].sort());
    expect(byId.totalCount).toBe(2);
  });

  it('gets one organization by id or by slug, or 404 resource_not_found', async () => {
    const target = organizations[3]!;
    expect((await clerk.organizations.getOrganization({ organizationId: target.id })).raw).toEqual(target);
    expect((await clerk.organizations.getOrganization({ slug: target.slug })).id).toBe(target.id);
    expect(await clerkError(clerk.organizations.getOrganization({ organizationId: 'org_unknown' }))).toEqual({ status: 404, code: 'resource_not_found' });
  });

  it('lists an organization’s memberships and the instance’s, with filters, as @clerk/backend asks', async () => {
    const organization = organizations[0]!;
    const all = await clerk.organizations.getOrganizationMembershipList({ organizationId: organization.id });
    expect(all.totalCount).toBe(4);
    expect(all.data.map((membership) => membership.publicUserData?.userId)).toEqual([...members].reverse().map((member) => member.id).concat(owner.id));
    expect(all.data[0]).toMatchObject({ role: 'org:member', organization: { id: organization.id, membersCount: 4 }, publicUserData: { identifier: 'member2@example.org' } });

    const page = await clerk.organizations.getOrganizationMembershipList({ organizationId: organization.id, limit: 2, offset: 2, orderBy: '+created_at' });
    expect(page.data.map((membership) => membership.publicUserData?.userId)).toEqual([members[1]!.id, members[2]!.id]);
    expect(page.totalCount).toBe(4);
    const admins = await clerk.organizations.getOrganizationMembershipList({ organizationId: organization.id, role: ['org:admin'] });
    expect(admins.data.map((membership) => membership.publicUserData?.userId).sort()).toEqual([owner.id, members[0]!.id].sort());
    const some = await clerk.organizations.getOrganizationMembershipList({ organizationId: organization.id, userId: [members[1]!.id] });
    expect(some.data.map((membership) => membership.publicUserData?.userId)).toEqual([members[1]!.id]);

    const instance = await clerk.organizations.getInstanceOrganizationMembershipList({ limit: 500 });
    expect(instance.totalCount).toBe(12 + 3);
    expect(new Set(instance.data.map((membership) => membership.id)).size).toBe(15);
    const ownMemberships = await clerk.users.getOrganizationMembershipList({ userId: owner.id, limit: 100 });
    expect(ownMemberships.totalCount).toBe(12);
    expect(ownMemberships.data.every((membership) => membership.role === 'org:admin')).toBe(true);

    expect(await clerkError(clerk.organizations.getOrganizationMembershipList({ organizationId: 'org_unknown' }))).toMatchObject({ status: 404 });
  });

  it('PATCH /v1/organizations/{id} with private_metadata touches the organization: organization.updated with the new metadata', async () => {
    const target = organizations[5]!;
    const response = await bapi('PATCH', `/v1/organizations/${target.id}`, { private_metadata: { mirror_resync_at: '2026-01-01T00:00:00Z' } });
    expect(response.status).toBe(200);
    const updated = (await response.json()) as ClerkOrganizationJson;
    expect(updated.private_metadata).toEqual({ mirror_resync_at: '2026-01-01T00:00:00Z' });
    expect(updated.updated_at).toBeGreaterThan(target.updated_at);
    const event = await eventWhere((candidate) => candidate.type === 'organization.updated' && (candidate.data as ClerkOrganizationJson).updated_at === updated.updated_at);
    expect(event.data).toEqual(updated);

    // Through the SDK: a rename, then metadata merged (PATCH …/metadata) and replaced (PUT …/metadata).
    const renamed = await clerk.organizations.updateOrganization(target.id, { name: 'Renamed Team', maxAllowedMemberships: 50 });
    expect(renamed).toMatchObject({ name: 'Renamed Team', slug: target.slug, maxAllowedMemberships: 50 });
    const merged = await clerk.organizations.updateOrganizationMetadata(target.id, { privateMetadata: { extra: { a: 1 } }, publicMetadata: { plan: 'team' } });
    expect(merged.privateMetadata).toEqual({ mirror_resync_at: '2026-01-01T00:00:00Z', extra: { a: 1 } });
    expect(merged.publicMetadata).toEqual({ plan: 'team' });
    const replaced = await clerk.organizations.replaceOrganizationMetadata(target.id, { privateMetadata: { only: true } });
    expect(replaced.privateMetadata).toEqual({ only: true });
    expect(replaced.publicMetadata).toEqual({ plan: 'team' });
    expect(replaced.updatedAt).toBeGreaterThan(merged.updatedAt);
  });

  it('updates a membership’s metadata at @clerk/backend’s path, sending organizationMembership.updated', async () => {
    const organization = organizations[0]!;
    const before = (await clerk.organizations.getOrganizationMembershipList({ organizationId: organization.id, userId: [members[2]!.id] })).data[0]!;
    const updated = await clerk.organizations.updateOrganizationMembershipMetadata({
      organizationId: organization.id,
      userId: members[2]!.id,
      privateMetadata: { mirror_resync_at: 'now' },
      publicMetadata: { desk: 7 },
    });
    expect(updated).toMatchObject({ id: before.id, privateMetadata: { mirror_resync_at: 'now' }, publicMetadata: { desk: 7 } });
    expect(updated.updatedAt).toBeGreaterThan(before.updatedAt);
    const event = await eventWhere((candidate) => candidate.type === 'organizationMembership.updated' && (candidate.data as ClerkOrganizationMembershipJson).id === before.id);
    expect(event.data).toMatchObject({ private_metadata: { mirror_resync_at: 'now' }, public_user_data: { user_id: members[2]!.id }, organization: { id: organization.id } });
    expect(await clerkError(clerk.organizations.updateOrganizationMembershipMetadata({ organizationId: organization.id, userId: 'user_unknown', privateMetadata: {} }))).toMatchObject({ status: 404 });
  });

  it('creates and deletes organizations and memberships through the SDK; the last admin stays', async () => {
    const created = await clerk.organizations.createOrganization({ name: 'SDK Made', createdBy: members[1]!.id, privateMetadata: { source: 'sdk' } });
    expect(created).toMatchObject({ name: 'SDK Made', slug: 'sdk-made', createdBy: members[1]!.id, membersCount: 1, privateMetadata: { source: 'sdk' } });
    const added = await clerk.organizations.createOrganizationMembership({ organizationId: created.id, userId: members[2]!.id, role: 'org:member' });
    expect(added).toMatchObject({ role: 'org:member', publicUserData: { userId: members[2]!.id } });
    expect(await clerkError(clerk.organizations.createOrganizationMembership({ organizationId: created.id, userId: members[2]!.id, role: 'org:member' }))).toMatchObject({
      status: 422,
      code: 'already_a_member_in_organization',
    });
    expect(await clerkError(clerk.organizations.updateOrganizationMembership({ organizationId: created.id, userId: members[1]!.id, role: 'org:member' }))).toEqual({
      status: 403,
      code: 'organization_minimum_permissions_needed',
    });
    expect(await clerkError(clerk.organizations.deleteOrganizationMembership({ organizationId: created.id, userId: members[1]!.id }))).toEqual({
      status: 403,
      code: 'organization_minimum_permissions_needed',
    });
    const promoted = await clerk.organizations.updateOrganizationMembership({ organizationId: created.id, userId: members[2]!.id, role: 'org:admin' });
    expect(promoted.role).toBe('org:admin');
    const removed = await clerk.organizations.deleteOrganizationMembership({ organizationId: created.id, userId: members[1]!.id });
    expect(removed.publicUserData?.userId).toBe(members[1]!.id);

    const deleted = await clerk.organizations.deleteOrganization(created.id);
    expect(deleted).toMatchObject({ id: created.id, object: 'organization', deleted: true });
    await eventWhere((event) => event.type === 'organization.deleted' && event.data.id === created.id);
    expect(await clerkError(clerk.organizations.getOrganization({ organizationId: created.id }))).toMatchObject({ status: 404 });
  });

  it('refuses a missing key, nonsense parameters, parameters it does not serve and bad bodies, changing nothing', async () => {
    const missing = await fetch(`${emulator.url}/v1/organizations`);
    expect(missing.status).toBe(401);
    const wrong = createClerkClient({ secretKey: 'sk_test_wrong', apiUrl: emulator.url });
    expect(await clerkError(wrong.organizations.getOrganizationList())).toMatchObject({ status: 401, code: 'authentication_invalid' });
    expect(await clerkError(wrong.organizations.getInstanceOrganizationMembershipList({}))).toMatchObject({ status: 401 });

    for (const query of ['limit=0', 'limit=501', 'offset=-1', 'order_by=slug', 'email_address=a%40b.c']) {
      const response = await bapi('GET', `/v1/organizations?${query}`);
      expect(response.status, query).toBe(422);
      expect(((await response.json()) as { errors: Array<{ code: string }> }).errors[0]?.code).toBe('form_param_value_invalid');
    }
    expect((await bapi('GET', `/v1/organizations/${organizations[0]!.id}/memberships?order_by=first_name`)).status).toBe(422);
    expect((await bapi('GET', `/v1/organizations/${organizations[0]!.id}/memberships?query=ada`)).status).toBe(422);
    expect((await bapi('GET', `/v1/organizations/${organizations[0]!.id}/memberships?role=owner`)).status).toBe(422);

    const target = organizations[7]!;
    for (const body of [{ private_metadata: 'no' }, { name: '' }, { slug: 'Not A Slug' }, { members_count: 3 }, { max_allowed_memberships: -1 }]) {
      const response = await bapi('PATCH', `/v1/organizations/${target.id}`, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
    }
    expect((await bapi('PATCH', `/v1/organizations/${target.id}/metadata`, { unsafe_metadata: {} })).status).toBe(422);
    expect((await bapi('PATCH', `/v1/organizations/${target.id}`, { slug: organizations[8]!.slug })).status).toBe(422);
    expect((await bapi('PATCH', '/v1/organizations/org_unknown', { name: 'X' })).status).toBe(404);
    expect(await clerk.organizations.getOrganization({ organizationId: target.id }).then((organization) => organization.raw)).toEqual(target);
  });
});

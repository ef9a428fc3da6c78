import { Webhook } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClerkOrganizationJson, ClerkOrganizationMembershipJson, ClerkUserJson, ClerkWebhookEvent, RunningClerkEmulator } from '../src/index';
import { admin, createUser, startTestEmulator, startWebhookReceiver, tempDir, waitFor, waitForNothingPending, type WebhookReceiver } from './helpers';

const dir = tempDir();
let emulator: RunningClerkEmulator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  emulator = await startTestEmulator({ dataDir: dir.path, webhookUrl: receiver.url });
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
  dir.remove();
});

interface Problem {
  error: string;
  message: string;
}

let people = 0;
const person = (first = 'Member'): Promise<ClerkUserJson> => {
  people += 1;
  return createUser(emulator, { first_name: first, last_name: `No${people}`, email_address: `member${people}@example.org` });
};

async function createOrganization(body: Record<string, unknown>): Promise<ClerkOrganizationJson> {
  const { status, body: organization } = await admin<ClerkOrganizationJson>(emulator, 'POST', '/admin/organizations', body);
  expect(status, JSON.stringify(organization)).toBe(201);
  return organization;
}

/**
 * Every event delivered so far about `id` (an organization, a membership or a user), by timestamp;
 * events of one change share theirs, and are then in the order of their type's name.
 */
async function deliveredAbout(id: string): Promise<ClerkWebhookEvent[]> {
  await waitForNothingPending(emulator);
  const verifier = new Webhook(emulator.config.webhookSigningSecret);
  return receiver.received
    .map((delivery) => {
      verifier.verify(delivery.body, {
        'svix-id': String(delivery.headers['svix-id']),
        'svix-timestamp': String(delivery.headers['svix-timestamp']),
        'svix-signature': String(delivery.headers['svix-signature']),
      });
      return JSON.parse(delivery.body) as ClerkWebhookEvent;
    })
    .filter((event) => JSON.stringify(event.data).includes(id))
    .sort((a, b) => a.timestamp - b.timestamp || a.type.localeCompare(b.type));
}

describe('the admin API’s organizations', () => {
  it('creates an organization in Clerk’s JSON with its creator as admin, lists it, and sends both events', async () => {
    const ada = await person('Ada');
    const organization = await createOrganization({ name: 'Acme, Inc.', created_by: ada.id });
    expect(organization).toMatchObject({ object: 'organization', name: 'Acme, Inc.', slug: 'acme-inc', members_count: 1, created_by: ada.id });
    expect(organization.id).toMatch(/^org_[0-9A-Za-z]{27}$/);

    expect((await admin(emulator, 'GET', `/admin/organizations/${organization.id}`)).body).toEqual(organization);
    const listed = await admin<{ data: ClerkOrganizationJson[] }>(emulator, 'GET', '/admin/organizations');
    expect(listed.body.data).toContainEqual(organization);
    const members = await admin<{ data: ClerkOrganizationMembershipJson[] }>(emulator, 'GET', `/admin/organizations/${organization.id}/memberships`);
    expect(members.body.data).toEqual([expect.objectContaining({ role: 'org:admin', organization, public_user_data: expect.objectContaining({ user_id: ada.id }) })]);

    const events = await deliveredAbout(organization.id);
    expect(events.map((event) => event.type)).toEqual(['organization.created', 'organizationMembership.created']);
    expect(events[0]!.data).toEqual(organization);
    expect(events[1]!.data).toEqual(members.body.data[0]);
  });

  it('renames and re-slugs an organization (organization.updated); an unchanged PATCH sends nothing', async () => {
    const organization = await createOrganization({ name: 'Before', created_by: (await person()).id });
    const renamed = await admin<ClerkOrganizationJson>(emulator, 'PATCH', `/admin/organizations/${organization.id}`, { name: 'After', slug: 'after-all' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: organization.id, name: 'After', slug: 'after-all' });
    expect(renamed.body.updated_at).toBeGreaterThan(organization.updated_at);
    expect((await admin(emulator, 'PATCH', `/admin/organizations/${organization.id}`, { name: 'After' })).body).toEqual(renamed.body);
    const events = await deliveredAbout(organization.id);
    expect(events.filter((event) => event.type === 'organization.updated').map((event) => event.data)).toEqual([renamed.body]);
  });

  it('adds a member, changes their role and removes them, each with its event', async () => {
    const [owner, member] = [await person('Owner'), await person('Member')];
    const organization = await createOrganization({ name: 'Crew', created_by: owner.id });
    const added = await admin<ClerkOrganizationMembershipJson>(emulator, 'POST', `/admin/organizations/${organization.id}/memberships`, { user_id: member.id, role: 'org:member' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ object: 'organization_membership', role: 'org:member', role_name: 'Member', organization: { id: organization.id, members_count: 2 } });

    const promoted = await admin<ClerkOrganizationMembershipJson>(emulator, 'PATCH', `/admin/organizations/${organization.id}/memberships/${member.id}`, { role: 'org:admin' });
    expect(promoted.body).toMatchObject({ id: added.body.id, role: 'org:admin' });
    const removed = await admin<ClerkOrganizationMembershipJson>(emulator, 'DELETE', `/admin/organizations/${organization.id}/memberships/${member.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: added.body.id, role: 'org:admin', public_user_data: { user_id: member.id } });

    const events = await deliveredAbout(added.body.id);
    expect(events.map((event) => event.type)).toEqual(['organizationMembership.created', 'organizationMembership.updated', 'organizationMembership.deleted']);
    expect(events.map((event) => event.data)).toEqual([added.body, promoted.body, removed.body]);
  });

  it('keeps the last admin: neither removed nor demoted, with Clerk’s error code, and nothing sent', async () => {
    const owner = await person('Owner');
    const organization = await createOrganization({ name: 'Solo', created_by: owner.id });
    await waitForNothingPending(emulator);
    const before = emulator.webhookStats();
    const demote = await admin<Problem>(emulator, 'PATCH', `/admin/organizations/${organization.id}/memberships/${owner.id}`, { role: 'org:member' });
    expect(demote.status).toBe(403);
    expect(demote.body.error).toBe('organization_minimum_permissions_needed');
    expect(demote.body.message).toContain('admin');
    const remove = await admin<Problem>(emulator, 'DELETE', `/admin/organizations/${organization.id}/memberships/${owner.id}`);
    expect(remove.status).toBe(403);
    expect(remove.body.error).toBe('organization_minimum_permissions_needed');
    expect(emulator.webhookStats()).toEqual(before);
    const members = await admin<{ data: ClerkOrganizationMembershipJson[] }>(emulator, 'GET', `/admin/organizations/${organization.id}/memberships`);
    expect(members.body.data.map((membership) => membership.role)).toEqual(['org:admin']);
  });

  it('deletes an organization: organization.deleted alone, its memberships gone', async () => {
    const [owner, member] = [await person('Owner'), await person('Member')];
    const organization = await createOrganization({ name: 'Gone', created_by: owner.id });
    await admin(emulator, 'POST', `/admin/organizations/${organization.id}/memberships`, { user_id: member.id, role: 'org:member' });
    await waitForNothingPending(emulator);
    const sentBefore = receiver.received.length;

    const deleted = await admin(emulator, 'DELETE', `/admin/organizations/${organization.id}`);
    expect(deleted).toEqual({ status: 200, body: { object: 'organization', id: organization.id, deleted: true } });
    await waitForNothingPending(emulator);
    const sent = receiver.received.slice(sentBefore).map((delivery) => JSON.parse(delivery.body) as ClerkWebhookEvent);
    expect(sent.map((event) => [event.type, event.data])).toEqual([['organization.deleted', { object: 'organization', id: organization.id, deleted: true }]]);
    expect((await admin(emulator, 'GET', `/admin/organizations/${organization.id}`)).status).toBe(404);
    expect((await admin(emulator, 'GET', `/admin/organizations/${organization.id}/memberships`)).status).toBe(404);
    expect((await admin(emulator, 'DELETE', `/admin/organizations/${organization.id}`)).status).toBe(404);
  });

  it('deleting a user sends organizationMembership.deleted for each of their memberships', async () => {
    const [owner, leaving] = [await person('Owner'), await person('Leaving')];
    const first = await createOrganization({ name: 'First', created_by: owner.id });
    const second = await createOrganization({ name: 'Second', created_by: leaving.id });
    const joined = await admin<ClerkOrganizationMembershipJson>(emulator, 'POST', `/admin/organizations/${first.id}/memberships`, { user_id: leaving.id, role: 'org:member' });

    expect((await admin(emulator, 'DELETE', `/admin/users/${leaving.id}`)).status).toBe(200);
    const events = await deliveredAbout(leaving.id);
    expect(events.map((event) => event.type)).toEqual([
      'user.created',
      'organization.created',
      'organizationMembership.created',
      'organizationMembership.created',
      'organizationMembership.deleted',
      'organizationMembership.deleted',
      'user.deleted',
    ]);
    const deletedIds = events.filter((event) => event.type === 'organizationMembership.deleted').map((event) => (event.data as ClerkOrganizationMembershipJson).id);
    expect(deletedIds).toContain(joined.body.id);
    expect((await admin<ClerkOrganizationJson>(emulator, 'GET', `/admin/organizations/${first.id}`)).body.members_count).toBe(1);
    expect((await admin<ClerkOrganizationJson>(emulator, 'GET', `/admin/organizations/${second.id}`)).body.members_count).toBe(0);
  });

  it('refuses bad input with 400 and a message naming the problem, changing nothing', async () => {
    const owner = await person();
    const organization = await createOrganization({ name: 'Valid', created_by: owner.id });
    await waitForNothingPending(emulator);
    const before = { stats: emulator.webhookStats(), list: (await admin(emulator, 'GET', '/admin/organizations')).body };

    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/admin/organizations', { created_by: owner.id }, 'name is required'],
      ['POST', '/admin/organizations', { name: '   ', created_by: owner.id }, 'name must not be empty'],
      ['POST', '/admin/organizations', { name: 42, created_by: owner.id }, 'name must be text'],
      ['POST', '/admin/organizations', { name: 'X'.repeat(257), created_by: owner.id }, 'name must be at most 256'],
      ['POST', '/admin/organizations', { name: 'X', slug: 'Not a slug!', created_by: owner.id }, 'slug must be lowercase letters and digits'],
      ['POST', '/admin/organizations', { name: 'X' }, 'created_by is required'],
      ['POST', '/admin/organizations', { name: 'X', created_by: owner.id, members: [] }, 'unknown field members (accepted: name, slug, created_by)'],
      ['POST', '/admin/organizations', [], 'the body must be a JSON object'],
      ['PATCH', `/admin/organizations/${organization.id}`, { name: '' }, 'name must not be empty'],
      ['PATCH', `/admin/organizations/${organization.id}`, { created_by: owner.id }, 'unknown field created_by'],
      ['POST', `/admin/organizations/${organization.id}/memberships`, { user_id: owner.id, role: 'owner' }, 'role must be one of org:admin, org:member'],
      ['POST', `/admin/organizations/${organization.id}/memberships`, { role: 'org:member' }, 'user_id is required'],
      ['PATCH', `/admin/organizations/${organization.id}/memberships/${owner.id}`, {}, 'role must be one of'],
    ];
    for (const [method, path, body, fragment] of cases) {
      const answer = await admin<Problem>(emulator, method, path, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.body.error).toBe('invalid_request');
      expect(answer.body.message).toContain(fragment);
    }
    const noContentType = await fetch(`${emulator.url}/admin/organizations`, { method: 'POST', body: '{"name":"X"}' });
    expect(noContentType.status).toBe(400);
    expect(((await noContentType.json()) as Problem).message).toContain('Content-Type: application/json');

    expect(emulator.webhookStats()).toEqual(before.stats);
    expect((await admin(emulator, 'GET', '/admin/organizations')).body).toEqual(before.list);
  });

  it('answers 404 for unknown ids and 409 for a taken slug or an existing member, changing nothing', async () => {
    const [owner, other] = [await person(), await person()];
    const organization = await createOrganization({ name: 'Known', slug: 'known', created_by: owner.id });
    await waitForNothingPending(emulator);
    const before = emulator.webhookStats();
    const missingOrganization = 'org_2xxxxxxxxxxxxxxxxxxxxxxxxxx';
    const missingUser = 'user_2xxxxxxxxxxxxxxxxxxxxxxxxxx';

    const notFound: Array<[string, string, unknown?]> = [
      ['GET', `/admin/organizations/${missingOrganization}`],
      ['PATCH', `/admin/organizations/${missingOrganization}`, { name: 'X' }],
      ['DELETE', `/admin/organizations/${missingOrganization}`],
      ['POST', '/admin/organizations', { name: 'X', created_by: missingUser }],
      ['POST', `/admin/organizations/${missingOrganization}/memberships`, { user_id: other.id, role: 'org:member' }],
      ['POST', `/admin/organizations/${organization.id}/memberships`, { user_id: missingUser, role: 'org:member' }],
      ['PATCH', `/admin/organizations/${organization.id}/memberships/${other.id}`, { role: 'org:admin' }],
      ['DELETE', `/admin/organizations/${organization.id}/memberships/${other.id}`],
    ];
    for (const [method, path, body] of notFound) {
      const answer = await admin<Problem>(emulator, method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.error).toBe('resource_not_found');
    }
    const taken = await admin<Problem>(emulator, 'POST', '/admin/organizations', { name: 'Again', slug: 'known', created_by: other.id });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toBe('form_identifier_exists');
    const again = await admin<Problem>(emulator, 'POST', `/admin/organizations/${organization.id}/memberships`, { user_id: owner.id, role: 'org:member' });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('already_a_member_in_organization');
    expect(emulator.webhookStats()).toEqual(before);
  });

  it('derives a unique slug from the name when none is given', async () => {
    const owner = await person();
    const slugs = [];
    for (const name of ['Blue Team', 'blue team', 'BLUE-TEAM']) slugs.push((await createOrganization({ name, created_by: owner.id })).slug);
    expect(slugs).toEqual(['blue-team', 'blue-team-2', 'blue-team-3']);
    await waitFor('the events', () => (emulator.webhookStats().pending === 0 ? true : undefined));
  });
});

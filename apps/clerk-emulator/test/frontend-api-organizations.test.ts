import { verifyToken } from '@clerk/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClerkWebhookEvent, RunningClerkEmulator } from '../src/index';
import { admin, openBrowser, SPA_ORIGIN, startTestEmulator, startWebhookReceiver, tempDir, waitFor, type Answer, type FrontendApiBrowser, type WebhookReceiver } from './helpers';

/**
 * The Frontend API's organization calls, as clerk-js 6 makes them for Clerk's
 * <OrganizationSwitcher/>, <CreateOrganization/> and <OrganizationProfile/>: form-encoded, in
 * Clerk's `{ response, client }` envelope, each browser named by its dev browser token.
 */

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

interface OrganizationView {
  id: string;
  name: string;
  slug: string;
  members_count: number;
  pending_invitations_count: number;
}
interface MembershipView {
  id: string;
  role: string;
  permissions: string[];
  organization: OrganizationView;
  public_user_data: { user_id: string; identifier: string };
}
interface Page<T> {
  data: T[];
  total_count: number;
}

const errorOf = (answer: Answer) => answer.body.errors?.[0];
const response = <T>(answer: Answer) => answer.body.response as unknown as T;
/** The signed-in session of the answer's client, as clerk-js reads it. */
const sessionIn = (answer: Answer) =>
  answer.body.client?.sessions[0] as unknown as { id: string; last_active_organization_id: string | null; user: { organization_memberships: MembershipView[] } };

let people = 0;
async function signedIn(first: string): Promise<{ browser: FrontendApiBrowser; userId: string; sessionId: string; email: string }> {
  people += 1;
  const email = `${first.toLowerCase()}${people}@example.test`;
  const browser = await openBrowser(emulator);
  return { browser, email, ...(await browser.signUp(email, first, 'Tester')) };
}

async function tokenClaims(browser: FrontendApiBrowser, sessionId: string, fields: Record<string, string> = {}) {
  const token = await browser.call('POST', `/client/sessions/${sessionId}/tokens`, fields);
  expect(token.status).toBe(200);
  return verifyToken(String(token.body.jwt), { jwtKey: emulator.config.jwtPublicKeyPem, authorizedParties: [SPA_ORIGIN] });
}

async function createOrganization(browser: FrontendApiBrowser, name: string, slug = ''): Promise<OrganizationView> {
  const created = await browser.call('POST', '/organizations', { name, slug });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return response<OrganizationView>(created);
}

const delivered = () => receiver.received.map((delivery) => JSON.parse(delivery.body) as ClerkWebhookEvent);

describe('the Frontend API’s organizations', () => {
  it('turns organizations on in the environment, and lets every user create one', async () => {
    const { browser } = await signedIn('Ada');
    const environment = await browser.call('GET', '/environment');
    expect(environment.body.organization_settings).toMatchObject({ enabled: true, actions: { admin_delete: true }, domains: { enabled: false, default_role: 'org:member' }, slug: { disabled: false } });
    expect(environment.body.user_settings).toMatchObject({ actions: { create_organization: true } });
    const me = await browser.call('GET', '/me');
    expect(me.body.response).toMatchObject({ create_organization_enabled: true, organization_memberships: [] });
  });

  it('creates an organization whose membership the answer’s client already holds, and sends its webhooks', async () => {
    const { browser, userId } = await signedIn('Grace');
    const created = await browser.call('POST', '/organizations', { name: 'Compilers, Inc.', slug: '' });
    expect(created.status).toBe(200);
    const organization = response<OrganizationView & Record<string, unknown>>(created);
    expect(organization).toMatchObject({ object: 'organization', name: 'Compilers, Inc.', slug: 'compilers-inc', members_count: 1, admin_delete_enabled: true });
    expect(organization).not.toHaveProperty('private_metadata');
    expect(organization).not.toHaveProperty('created_by');
    // <CreateOrganization/> calls setActive() with the new organization: it must be in the client's user.
    const [membership] = sessionIn(created).user.organization_memberships;
    expect(membership).toMatchObject({ role: 'org:admin', role_name: 'Admin', organization: { id: organization.id }, public_user_data: { user_id: userId } });
    expect(membership!.permissions).toEqual(expect.arrayContaining(['org:sys_memberships:manage', 'org:sys_profile:delete']));
    expect(membership).not.toHaveProperty('private_metadata');

    const taken = await browser.call('POST', '/organizations', { name: 'Other', slug: 'compilers-inc' });
    expect(taken.status).toBe(422);
    expect(errorOf(taken)).toMatchObject({ code: 'form_identifier_exists', meta: { param_name: 'slug' } });
    const nameless = await browser.call('POST', '/organizations', { name: ' ' });
    expect(errorOf(nameless)).toMatchObject({ code: 'form_param_format_invalid', meta: { param_name: 'name' } });

    await waitFor('the organization’s webhooks', () =>
      delivered().filter((event) => JSON.stringify(event.data).includes(organization.id)).length === 2 ? true : undefined,
    );
  });

  it('switches the session’s active organization by touch; tokens then carry its o claim, and the personal account none', async () => {
    const { browser, sessionId } = await signedIn('Linus');
    const organization = await createOrganization(browser, 'Kernel');
    expect((await tokenClaims(browser, sessionId)).o).toBeUndefined();

    const touched = await browser.call('POST', `/client/sessions/${sessionId}/touch`, { active_organization_id: organization.id, intent: 'select_org' });
    expect(touched.status).toBe(200);
    expect(touched.body.response).toMatchObject({ id: sessionId, last_active_organization_id: organization.id });
    expect(sessionIn(touched).last_active_organization_id).toBe(organization.id);
    // clerk-js names the organization in the token request; without it, the session's active one.
    expect((await tokenClaims(browser, sessionId, { organization_id: organization.id })).o).toEqual({ id: organization.id, slg: 'kernel', rol: 'admin' });
    expect((await tokenClaims(browser, sessionId)).o).toEqual({ id: organization.id, slg: 'kernel', rol: 'admin' });
    expect((await tokenClaims(browser, sessionId, { organization_id: '' })).o).toBeUndefined();
    const client = await browser.call('GET', '/client');
    const [session] = (client.body.response as { sessions: Array<{ last_active_organization_id: string; last_active_token: { jwt: string } }> }).sessions;
    expect(session?.last_active_organization_id).toBe(organization.id);
    expect((await verifyToken(session!.last_active_token.jwt, { jwtKey: emulator.config.jwtPublicKeyPem })).o).toMatchObject({ id: organization.id });

    const personal = await browser.call('POST', `/client/sessions/${sessionId}/touch`, { active_organization_id: '', intent: 'select_org' });
    expect(personal.body.response).toMatchObject({ last_active_organization_id: null });
    expect((await tokenClaims(browser, sessionId)).o).toBeUndefined();

    const foreign = await createOrganization((await signedIn('Other')).browser, 'Not Linus’s');
    const refused = await browser.call('POST', `/client/sessions/${sessionId}/touch`, { active_organization_id: foreign.id });
    expect(refused.status).toBe(404);
    expect((await browser.call('GET', `/organizations/${foreign.id}`)).status).toBe(404);
    expect((await tokenClaims(browser, sessionId, { organization_id: foreign.id })).o).toBeUndefined();
  });

  it('lets an admin add, list, re-role and remove members; a member may list but not manage; the last admin stays', async () => {
    const owner = await signedIn('Owner');
    const member = await signedIn('Member');
    const organization = await createOrganization(owner.browser, 'Managed');

    const added = await owner.browser.call('POST', `/organizations/${organization.id}/memberships`, { user_id: member.userId, role: 'org:member' });
    expect(added.status).toBe(200);
    expect(response<MembershipView>(added)).toMatchObject({ role: 'org:member', permissions: ['org:sys_memberships:read'] });

    const listed = await owner.browser.call('GET', `/organizations/${organization.id}/memberships?paginated=true&limit=10&offset=0`);
    expect(response<Page<MembershipView>>(listed).total_count).toBe(2);
    const searched = await owner.browser.call('GET', `/organizations/${organization.id}/memberships?paginated=true&query=${encodeURIComponent(member.email)}`);
    expect(response<Page<MembershipView>>(searched).data.map((membership) => membership.public_user_data.user_id)).toEqual([member.userId]);
    const admins = await owner.browser.call('GET', `/organizations/${organization.id}/memberships?paginated=true&role=org:admin`);
    expect(response<Page<MembershipView>>(admins).data.map((membership) => membership.public_user_data.user_id)).toEqual([owner.userId]);
    const paged = await owner.browser.call('GET', `/organizations/${organization.id}/memberships?paginated=true&limit=1&offset=1`);
    expect(response<Page<MembershipView>>(paged)).toMatchObject({ total_count: 2, data: [expect.anything()] });

    const roles = response<Page<{ key: string; permissions: Array<{ key: string; type: string }> }>>(await member.browser.call('GET', `/organizations/${organization.id}/roles?limit=20&offset=0`));
    expect(roles.total_count).toBe(2);
    expect(roles.data.map((role) => role.key)).toEqual(['org:admin', 'org:member']);
    expect(roles.data[1]!.permissions).toEqual([expect.objectContaining({ key: 'org:sys_memberships:read', type: 'system' })]);

    expect((await member.browser.call('GET', `/organizations/${organization.id}/memberships?paginated=true`)).status).toBe(200);
    const notAllowed = await member.browser.call('PATCH', `/organizations/${organization.id}/memberships/${owner.userId}`, { role: 'org:member' });
    expect(notAllowed.status).toBe(403);
    expect(errorOf(notAllowed)?.code).toBe('not_allowed_access');
    expect((await member.browser.call('PATCH', `/organizations/${organization.id}`, { name: 'Taken over' })).status).toBe(403);

    const lastAdmin = await owner.browser.call('PATCH', `/organizations/${organization.id}/memberships/${owner.userId}`, { role: 'org:member' });
    expect(lastAdmin.status).toBe(403);
    expect(errorOf(lastAdmin)?.code).toBe('organization_minimum_permissions_needed');
    const leaveAlone = await owner.browser.call('DELETE', `/me/organization_memberships/${organization.id}`);
    expect(errorOf(leaveAlone)?.code).toBe('organization_minimum_permissions_needed');

    const promoted = await owner.browser.call('PATCH', `/organizations/${organization.id}/memberships/${member.userId}`, { role: 'org:admin' });
    expect(response<MembershipView>(promoted).role).toBe('org:admin');
    const removed = await member.browser.call('DELETE', `/organizations/${organization.id}/memberships/${owner.userId}`);
    expect(removed.status).toBe(200);
    expect((await owner.browser.call('GET', `/organizations/${organization.id}`)).status).toBe(404);
    const ownMemberships = await owner.browser.call('GET', '/me/organization_memberships?paginated=true');
    expect(response<Page<MembershipView>>(ownMemberships).data.map((membership) => membership.organization.id)).not.toContain(organization.id);
  });

  it('invites by email without sending one; the invited user sees the invitation in the switcher and accepts it', async () => {
    const owner = await signedIn('Inviter');
    const invited = await signedIn('Invited');
    const organization = await createOrganization(owner.browser, 'Inviting');

    const bulk = await owner.browser.call('POST', `/organizations/${organization.id}/invitations/bulk`, {
      email_address: [invited.email, 'Someone.Else@Example.test'],
      role: 'org:member',
    });
    expect(bulk.status).toBe(200);
    const invitations = bulk.body.response as unknown as Array<{ id: string; email_address: string; status: string; organization_id: string }>;
    // A plain array, as Clerk answers the bulk call.
    expect(invitations.map((invitation) => [invitation.email_address, invitation.status])).toEqual([
      [invited.email, 'pending'],
      ['someone.else@example.test', 'pending'],
    ]);
    const again = await owner.browser.call('POST', `/organizations/${organization.id}/invitations/bulk`, { email_address: [invited.email], role: 'org:member' });
    expect(again.status).toBe(422);
    expect(errorOf(again)?.code).toBe('duplicate_record');
    const pending = response<Page<{ id: string }>>(await owner.browser.call('GET', `/organizations/${organization.id}/invitations?status=pending&limit=10&offset=0`));
    expect(pending.total_count).toBe(2);
    expect(response<OrganizationView>(await owner.browser.call('GET', `/organizations/${organization.id}`)).pending_invitations_count).toBe(2);

    const mine = await invited.browser.call('GET', '/me/organization_invitations?status=pending&limit=10&offset=0');
    const [invitation] = response<Page<{ id: string; role: string; public_organization_data: { id: string; name: string; slug: string } }>>(mine).data;
    expect(invitation).toMatchObject({ role: 'org:member', public_organization_data: { id: organization.id, name: 'Inviting', slug: 'inviting' } });
    const suggestions = await invited.browser.call('GET', '/me/organization_suggestions?status=pending&status=accepted');
    expect(suggestions.body.response).toEqual({ data: [], total_count: 0 });

    // Another user cannot accept an invitation addressed to someone else.
    expect((await owner.browser.call('POST', `/me/organization_invitations/${invitation!.id}/accept`, {})).status).toBe(404);
    const accepted = await invited.browser.call('POST', `/me/organization_invitations/${invitation!.id}/accept`, {});
    expect(accepted.status).toBe(200);
    expect(accepted.body.response).toMatchObject({ id: invitation!.id, status: 'accepted' });
    expect(sessionIn(accepted).user.organization_memberships.map((membership) => [membership.organization.id, membership.role])).toEqual([[organization.id, 'org:member']]);
    expect(response<Page<unknown>>(await invited.browser.call('GET', '/me/organization_invitations?status=pending')).total_count).toBe(0);

    const other = invitations.find((candidate) => candidate.email_address === 'someone.else@example.test')!;
    const revoked = await owner.browser.call('POST', `/organizations/${organization.id}/invitations/${other.id}/revoke`, {});
    expect(revoked.body.response).toMatchObject({ id: other.id, status: 'revoked' });
    expect(response<Page<unknown>>(await owner.browser.call('GET', `/organizations/${organization.id}/invitations?status=pending`)).total_count).toBe(0);

    await waitFor('the invitations’ webhooks', () => {
      const types = delivered()
        .filter((event) => JSON.stringify(event.data).includes(organization.id))
        .map((event) => event.type)
        .sort();
      return types.filter((type) => type.startsWith('organizationInvitation.')).length === 4 ? types : undefined;
    });
    const types = delivered().filter((event) => JSON.stringify(event.data).includes(organization.id)).map((event) => event.type);
    expect(types.filter((type) => type === 'organizationMembership.created')).toHaveLength(2);
    expect(types.filter((type) => type.startsWith('organizationInvitation.')).sort()).toEqual([
      'organizationInvitation.accepted',
      'organizationInvitation.created',
      'organizationInvitation.created',
      'organizationInvitation.revoked',
    ]);

    // A member leaves by themselves.
    const left = await invited.browser.call('DELETE', `/me/organization_memberships/${organization.id}`);
    expect(left.body.response).toMatchObject({ object: 'organization_membership', deleted: true });
    expect(sessionIn(left).user.organization_memberships).toEqual([]);
  });

  it('renames and deletes an organization from <OrganizationProfile/>; a session whose organization is gone is back on the personal account', async () => {
    const owner = await signedIn('Founder');
    const organization = await createOrganization(owner.browser, 'Short Lived');
    await owner.browser.call('POST', `/client/sessions/${owner.sessionId}/touch`, { active_organization_id: organization.id });

    const renamed = await owner.browser.call('PATCH', `/organizations/${organization.id}`, { name: 'Shorter Lived', slug: 'shorter-lived' });
    expect(renamed.body.response).toMatchObject({ name: 'Shorter Lived', slug: 'shorter-lived' });
    expect(sessionIn(renamed).user.organization_memberships[0]?.organization).toMatchObject({ name: 'Shorter Lived' });
    expect((await tokenClaims(owner.browser, owner.sessionId)).o).toMatchObject({ slg: 'shorter-lived' });

    const deleted = await owner.browser.call('DELETE', `/organizations/${organization.id}`);
    expect(deleted.body.response).toEqual({ object: 'organization', id: organization.id, deleted: true });
    expect(sessionIn(deleted)).toMatchObject({ last_active_organization_id: null, user: { organization_memberships: [] } });
    expect((await tokenClaims(owner.browser, owner.sessionId)).o).toBeUndefined();
    expect((await admin(emulator, 'GET', `/admin/organizations/${organization.id}`)).status).toBe(404);
  });

  it('keeps the Backend API apart: a call with the secret key on the same path is the Backend API’s', async () => {
    const owner = await signedIn('Shared');
    const organization = await createOrganization(owner.browser, 'Both Sides');
    const viaBackend = await fetch(`${emulator.url}/v1/organizations/${organization.id}`, { headers: { authorization: `Bearer ${emulator.config.secretKey}` } });
    expect(viaBackend.status).toBe(200);
    expect(await viaBackend.json()).toMatchObject({ id: organization.id, created_by: owner.userId, private_metadata: {} });
    const anonymous = await fetch(`${emulator.url}/v1/organizations/${organization.id}`);
    expect(anonymous.status).toBe(401);
  });
});

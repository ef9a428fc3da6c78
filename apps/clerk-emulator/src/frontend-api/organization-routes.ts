import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import type { ClerkOrganizationMembershipJson, ClerkUserJson } from '../clerk-json';
import { changeContext, type EmulatorContext } from '../http/context';
import { organizationName, organizationRoleKey, organizationSlug } from '../organization-input';
import type { BrowserSession } from '../sessions';
import { emailAddress } from '../user-input';
import { FrontendApiError, invalidParam, missingParam, notFound } from './errors';
import type { FormFields } from './flows';
import {
  frontendInvitationJson,
  frontendMembershipJson,
  frontendOrganizationJson,
  pageJson,
  rolesJson,
  userInvitationJson,
} from './organization-resources';

/** What the organization routes take from the Frontend API's router. */
export interface FrontendApiKit {
  /** Answers in Clerk's envelope, with the browser's client as it now stands. */
  reply(req: Request, res: Response, response: unknown): void;
  /** The browser's signed-in session and its user, or a 401 that signs the browser out. */
  signedInUser(req: Request, res: Response): { session: BrowserSession; user: ClerkUserJson };
  fields(req: Request): FormFields;
}

/** clerk-js lists 10 to a page unless told otherwise; Clerk takes at most 500. */
function pageOf(req: Request): { offset: number; limit: number } {
  const number = (name: string, fallback: number, max: number) => {
    const text = typeof req.query[name] === 'string' ? req.query[name] : undefined;
    if (text === undefined || text === '') return fallback;
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value > max) throw invalidParam(name, `${name} must be a whole number up to ${max}.`);
    return value;
  };
  return { offset: number('offset', 0, Number.MAX_SAFE_INTEGER), limit: Math.max(1, number('limit', 10, 500)) };
}

function field<T>(schema: z.ZodType<T>, value: unknown, param: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidParam(param, result.error.issues[0]?.message ?? `${param} is invalid`);
}

/** A form field that may repeat (`email_address=a&email_address=b`). */
function repeated(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

const notAllowed = (permission: string) =>
  new FrontendApiError(403, 'not_allowed_access', 'You are not allowed to do this in this organization.', `This needs the ${permission} permission, which your role does not have.`);

/** The membership's matches for `<OrganizationProfile/>`'s member search: name, email address or username. */
function matches(membership: ClerkOrganizationMembershipJson, query: string): boolean {
  const user = membership.public_user_data;
  const text = [user.first_name, user.last_name, user.identifier, user.username, user.user_id].filter(Boolean).join(' ').toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => text.includes(word));
}

/**
 * The Frontend API's organization calls, as clerk-js 6 makes them for `<OrganizationSwitcher/>`,
 * `<CreateOrganization/>` and `<OrganizationProfile/>`: organizations, their members, roles and
 * invitations, and the signed-in user's own memberships, invitations and suggestions. A user
 * sees only organizations they are a member of (else `404`), and changes what their role's
 * system permissions allow (else `403` `not_allowed_access`), as the components' gates expect.
 * No email is sent for an invitation: the invited user finds it in the switcher.
 */
export function frontendOrganizationRoutes(router: Router, ctx: EmulatorContext, kit: FrontendApiKit): void {
  const origin = (req: Request) => changeContext(req, 'email_code');

  /** The signed-in user's membership in the organization, holding `permission` if one is named. */
  const membershipIn = (req: Request<{ id: string }>, res: Response, permission?: string) => {
    const { user } = kit.signedInUser(req, res);
    const membership = ctx.organizations.membership(req.params.id, user.id);
    if (!membership) throw notFound('organization');
    if (permission !== undefined && !membership.permissions.includes(permission)) throw notAllowed(permission);
    return { user, membership };
  };

  // Organizations

  router.post('/v1/organizations', (req, res) => {
    const { user } = kit.signedInUser(req, res);
    const form = kit.fields(req);
    if (!user.create_organization_enabled) throw notAllowed('create_organization');
    const name = field(organizationName, form.name, 'name');
    const slug = form.slug === undefined || form.slug === '' ? undefined : field(organizationSlug, form.slug, 'slug');
    const organization = ctx.organizations.create({ name, slug, createdBy: user.id }, origin(req));
    ctx.log.info({ organizationId: organization.id, userId: user.id, via: 'create-organization' }, 'organization created');
    // The client in the answer already holds the new membership: setActive() looks for it there.
    kit.reply(req, res, frontendOrganizationJson(organization));
  });

  router.get('/v1/organizations/:id', (req: Request<{ id: string }>, res) => {
    kit.reply(req, res, frontendOrganizationJson(membershipIn(req, res).membership.organization));
  });

  router.patch('/v1/organizations/:id', (req: Request<{ id: string }>, res) => {
    membershipIn(req, res, 'org:sys_profile:manage');
    const form = kit.fields(req);
    const patch = {
      ...(form.name === undefined ? {} : { name: field(organizationName, form.name, 'name') }),
      ...(form.slug === undefined || form.slug === '' ? {} : { slug: field(organizationSlug, form.slug, 'slug') }),
    };
    const organization = ctx.organizations.update(req.params.id, patch, origin(req));
    ctx.log.info({ organizationId: organization.id, via: 'organization-profile' }, 'organization updated');
    kit.reply(req, res, frontendOrganizationJson(organization));
  });

  router.delete('/v1/organizations/:id', (req: Request<{ id: string }>, res) => {
    const { membership } = membershipIn(req, res, 'org:sys_profile:delete');
    if (!membership.organization.admin_delete_enabled) throw notAllowed('org:sys_profile:delete (admin_delete_enabled is off)');
    const deleted = ctx.organizations.delete(req.params.id, origin(req));
    ctx.log.info({ organizationId: deleted.id, via: 'organization-profile' }, 'organization deleted');
    kit.reply(req, res, deleted);
  });

  // Members and roles

  router.get('/v1/organizations/:id/memberships', (req: Request<{ id: string }>, res) => {
    membershipIn(req, res, 'org:sys_memberships:read');
    const query = typeof req.query.query === 'string' ? req.query.query.trim() : '';
    const roles = repeated(req.query.role);
    const { offset, limit } = pageOf(req);
    const members = ctx.organizations
      .membershipsOf(req.params.id)
      .filter((membership) => (query === '' || matches(membership, query)) && (roles.length === 0 || roles.includes(membership.role)));
    kit.reply(req, res, pageJson(members.map(frontendMembershipJson), offset, limit));
  });

  router.post('/v1/organizations/:id/memberships', (req: Request<{ id: string }>, res) => {
    membershipIn(req, res, 'org:sys_memberships:manage');
    const form = kit.fields(req);
    if (!form.user_id) throw missingParam('user_id');
    const membership = ctx.organizations.addMember(req.params.id, form.user_id, field(organizationRoleKey, form.role, 'role'), origin(req));
    kit.reply(req, res, frontendMembershipJson(membership));
  });

  router.patch('/v1/organizations/:id/memberships/:userId', (req: Request<{ id: string; userId: string }>, res) => {
    membershipIn(req, res, 'org:sys_memberships:manage');
    const role = field(organizationRoleKey, kit.fields(req).role, 'role');
    kit.reply(req, res, frontendMembershipJson(ctx.organizations.setRole(req.params.id, req.params.userId, role, origin(req))));
  });

  router.delete('/v1/organizations/:id/memberships/:userId', (req: Request<{ id: string; userId: string }>, res) => {
    membershipIn(req, res, 'org:sys_memberships:manage');
    kit.reply(req, res, frontendMembershipJson(ctx.organizations.removeMember(req.params.id, req.params.userId, origin(req))));
  });

  router.get('/v1/organizations/:id/roles', (req: Request<{ id: string }>, res) => {
    membershipIn(req, res, 'org:sys_memberships:read');
    const { offset, limit } = pageOf(req);
    kit.reply(req, res, { ...pageJson(rolesJson(), offset, limit), has_role_set_migration: false });
  });

  // Domains are off, so there are neither domains nor requests to join by one.
  router.get(['/v1/organizations/:id/domains', '/v1/organizations/:id/membership_requests'], (req: Request<{ id: string }>, res) => {
    membershipIn(req, res);
    kit.reply(req, res, { data: [], total_count: 0 });
  });

  // Invitations

  router.get('/v1/organizations/:id/invitations', (req: Request<{ id: string }>, res) => {
    membershipIn(req, res, 'org:sys_memberships:manage');
    const statuses = repeated(req.query.status);
    const { offset, limit } = pageOf(req);
    // Only pending invitations are kept to be listed; accepted ones are members, revoked ones gone.
    const invitations = statuses.length === 0 || statuses.includes('pending') ? ctx.invitations.pendingOf(req.params.id) : [];
    kit.reply(req, res, pageJson(invitations.map(frontendInvitationJson), offset, limit));
  });

  const invite = (req: Request<{ id: string }>, res: Response) => {
    membershipIn(req, res, 'org:sys_memberships:manage');
    const form = kit.fields(req) as Record<string, unknown>;
    const addresses = repeated(form.email_address).map((address) => field(emailAddress, address, 'email_address'));
    if (addresses.length === 0) throw missingParam('email_address');
    const invitations = ctx.invitations.invite(req.params.id, addresses, field(organizationRoleKey, form.role, 'role'), origin(req));
    ctx.log.info({ organizationId: req.params.id, count: invitations.length }, 'organization invitations made; no email is sent');
    return invitations.map(frontendInvitationJson);
  };
  router.post('/v1/organizations/:id/invitations', (req: Request<{ id: string }>, res) => {
    kit.reply(req, res, invite(req, res)[0]);
  });
  // A plain array, as Clerk answers the bulk call (the one <OrganizationProfile/> makes).
  router.post('/v1/organizations/:id/invitations/bulk', (req: Request<{ id: string }>, res) => {
    kit.reply(req, res, invite(req, res));
  });
  router.post('/v1/organizations/:id/invitations/:invitationId/revoke', (req: Request<{ id: string; invitationId: string }>, res) => {
    membershipIn(req, res, 'org:sys_memberships:manage');
    kit.reply(req, res, frontendInvitationJson(ctx.invitations.revoke(req.params.id, req.params.invitationId, origin(req))));
  });

  // The signed-in user's side

  router.get('/v1/me/organization_memberships', (req, res) => {
    const { user } = kit.signedInUser(req, res);
    const { offset, limit } = pageOf(req);
    kit.reply(req, res, pageJson(ctx.organizations.membershipsOfUser(user.id).map(frontendMembershipJson), offset, limit));
  });

  // Leaving an organization; its last admin cannot.
  router.delete('/v1/me/organization_memberships/:id', (req: Request<{ id: string }>, res) => {
    const { user } = membershipIn(req, res);
    const removed = ctx.organizations.removeMember(req.params.id, user.id, origin(req));
    ctx.log.info({ organizationId: req.params.id, userId: user.id, via: 'organization-switcher' }, 'member left');
    kit.reply(req, res, { object: 'organization_membership', id: removed.id, deleted: true });
  });

  const invitationsOf = (user: ClerkUserJson) =>
    ctx.invitations.pendingForUser(user).flatMap((invitation) => {
      const organization = ctx.organizations.get(invitation.organization_id);
      return organization ? [userInvitationJson(invitation, organization)] : [];
    });

  router.get('/v1/me/organization_invitations', (req, res) => {
    const { user } = kit.signedInUser(req, res);
    const statuses = repeated(req.query.status);
    const { offset, limit } = pageOf(req);
    kit.reply(req, res, pageJson(statuses.length === 0 || statuses.includes('pending') ? invitationsOf(user) : [], offset, limit));
  });

  router.post('/v1/me/organization_invitations/:invitationId/accept', (req: Request<{ invitationId: string }>, res) => {
    const { user } = kit.signedInUser(req, res);
    const accepted = ctx.invitations.accept(req.params.invitationId, user, origin(req));
    const organization = ctx.organizations.get(accepted.organization_id);
    ctx.log.info({ organizationId: accepted.organization_id, userId: user.id, via: 'organization-switcher' }, 'invitation accepted');
    kit.reply(req, res, organization ? userInvitationJson(accepted, organization) : frontendInvitationJson(accepted));
  });

  // Suggestions come from verified domains, which are off: there are none.
  router.get('/v1/me/organization_suggestions', (req, res) => {
    kit.signedInUser(req, res);
    kit.reply(req, res, { data: [], total_count: 0 });
  });
}

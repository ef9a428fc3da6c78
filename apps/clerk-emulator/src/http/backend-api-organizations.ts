import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { OrganizationRoleKey } from '../clerk-json';
import { MEMBERSHIP_ORDERS, ORGANIZATION_ORDERS } from '../organization-directory';
import { createMembershipInput, organizationName, organizationSlug, updateMembershipInput } from '../organization-input';
import { ORGANIZATION_ROLE_KEYS } from '../organization-roles';
import { invalidParam, listParam, notFound, onlyParams, orderParam, pageParams, parseBackendBody, sendClerkJson, sendClerkPage } from './backend-api-support';
import { changeContext, type EmulatorContext } from './context';

/** The Backend API's organization paths, which the Frontend API shares (see isFrontendApiCall). */
export const ORGANIZATION_API_PATHS = ['/v1/organizations', '/v1/organization_memberships'];

const metadataObject = z.record(z.string(), z.unknown());
const metadataBody = z.strictObject({ public_metadata: metadataObject.optional(), private_metadata: metadataObject.optional() });
const membershipLimit = z.number().int().min(0, 'max_allowed_memberships must be 0 (no limit) or more');

const createOrganizationBody = z.strictObject({
  name: organizationName,
  slug: organizationSlug.optional(),
  created_by: z.string().min(1).optional(),
  max_allowed_memberships: membershipLimit.optional(),
  public_metadata: metadataObject.optional(),
  private_metadata: metadataObject.optional(),
});

/** `PATCH /v1/organizations/{id}`: metadata given here replaces the stored object. */
const updateOrganizationBody = z.strictObject({
  name: organizationName.optional(),
  slug: organizationSlug.optional(),
  max_allowed_memberships: membershipLimit.optional(),
  admin_delete_enabled: z.boolean().optional(),
  public_metadata: metadataObject.optional(),
  private_metadata: metadataObject.optional(),
});

type OrganizationParams = { id: string };
type MembershipParams = { id: string; userId: string };

function roleFilter(req: Request): OrganizationRoleKey[] | undefined {
  const roles = listParam(req, 'role', 'roles');
  const unknown = roles?.find((role) => !(ORGANIZATION_ROLE_KEYS as readonly string[]).includes(role));
  if (unknown !== undefined) throw invalidParam('role', `role must be one of ${ORGANIZATION_ROLE_KEYS.join(', ')}.`);
  return roles as OrganizationRoleKey[] | undefined;
}

/**
 * Clerk's Backend API for organizations, at the paths and with the parameters of
 * `@clerk/backend`'s `organizations` client: `getOrganizationList`, `getOrganization` (by id or
 * slug), `createOrganization`, `updateOrganization`, `updateOrganizationMetadata` (PATCH, merged),
 * `replaceOrganizationMetadata` (PUT), `deleteOrganization`, the membership calls
 * (`getOrganizationMembershipList`, `getInstanceOrganizationMembershipList`, create, update,
 * `updateOrganizationMembershipMetadata`, delete), and `users.getOrganizationMembershipList`.
 * Lists are `{ data, total_count }`, newest first by default. Each change sends its webhook.
 * Mounted by `backendApiRouter` behind its authentication and rate limit.
 */
export function backendApiOrganizationRouter(ctx: EmulatorContext): Router {
  const router = Router();
  const json = express.json({ limit: '64kb' });
  const organizationOf = (id: string) => {
    const organization = ctx.organizations.get(id);
    if (!organization) throw notFound();
    return organization;
  };

  // Organizations

  router.get('/v1/organizations', (req, res) => {
    onlyParams(req, ['limit', 'offset', 'order_by', 'query', 'organization_id', 'include_members_count']);
    const filter = { ids: listParam(req, 'organization_id', 'organization ids'), query: typeof req.query.query === 'string' ? req.query.query : undefined };
    const page = { orderBy: orderParam(req, ORGANIZATION_ORDERS, '-created_at'), ...pageParams(req) };
    sendClerkPage(res, ctx.organizations.page(filter, page), ctx.organizations.count(filter));
  });

  router.post('/v1/organizations', json, (req, res) => {
    const body = parseBackendBody(createOrganizationBody, req.body, 'The body must be an organization: name, and optionally slug, created_by, max_allowed_memberships, public_metadata, private_metadata');
    const organization = ctx.organizations.create(
      {
        name: body.name,
        slug: body.slug,
        createdBy: body.created_by ?? null,
        maxAllowedMemberships: body.max_allowed_memberships,
        publicMetadata: body.public_metadata,
        privateMetadata: body.private_metadata,
      },
      changeContext(req, 'admin'),
    );
    ctx.log.info({ organizationId: organization.id, via: 'backend api' }, 'organization created');
    sendClerkJson(res, 200, organization);
  });

  router.get('/v1/organizations/:id', (req: Request<OrganizationParams>, res) => {
    onlyParams(req, ['include_members_count']);
    const organization = ctx.organizations.getByIdOrSlug(req.params.id);
    if (!organization) throw notFound();
    sendClerkJson(res, 200, organization);
  });

  router.patch('/v1/organizations/:id', json, (req: Request<OrganizationParams>, res) => {
    const patch = parseBackendBody(updateOrganizationBody, req.body, 'The body may change name, slug, max_allowed_memberships, admin_delete_enabled, public_metadata and private_metadata');
    organizationOf(req.params.id);
    const organization = ctx.organizations.update(req.params.id, patch, changeContext(req, 'admin'));
    ctx.log.info({ organizationId: organization.id, via: 'backend api' }, 'organization updated');
    sendClerkJson(res, 200, organization);
  });

  router.delete('/v1/organizations/:id', (req: Request<OrganizationParams>, res) => {
    organizationOf(req.params.id);
    const deleted = ctx.organizations.delete(req.params.id, changeContext(req, 'admin'));
    ctx.log.info({ organizationId: deleted.id, via: 'backend api' }, 'organization deleted');
    sendClerkJson(res, 200, deleted);
  });

  for (const [method, mode] of [['patch', 'merge'], ['put', 'replace']] as const) {
    router[method]('/v1/organizations/:id/metadata', json, (req: Request<OrganizationParams>, res) => {
      const change = parseBackendBody(metadataBody, req.body, 'The body must be an object with public_metadata or private_metadata objects');
      organizationOf(req.params.id);
      const organization = ctx.organizations.updateMetadata(req.params.id, change, mode, changeContext(req, 'admin'));
      ctx.log.info({ organizationId: organization.id, mode, via: 'backend api' }, 'organization metadata updated');
      sendClerkJson(res, 200, organization);
    });
  }

  // Memberships

  router.get('/v1/organizations/:id/memberships', (req: Request<OrganizationParams>, res) => {
    onlyParams(req, ['limit', 'offset', 'order_by', 'user_id', 'role']);
    organizationOf(req.params.id);
    const filter = { organizationId: req.params.id, userIds: listParam(req, 'user_id', 'user ids'), roles: roleFilter(req) };
    const page = { orderBy: orderParam(req, MEMBERSHIP_ORDERS, '-created_at'), ...pageParams(req) };
    sendClerkPage(res, ctx.organizations.pageMemberships(filter, page), ctx.organizations.countMemberships(filter));
  });

  router.post('/v1/organizations/:id/memberships', json, (req: Request<OrganizationParams>, res) => {
    const body = parseBackendBody(createMembershipInput, req.body, 'The body must be { user_id, role }');
    organizationOf(req.params.id);
    if (!ctx.directory.get(body.user_id)) throw notFound();
    const membership = ctx.organizations.addMember(req.params.id, body.user_id, body.role, changeContext(req, 'admin'));
    ctx.log.info({ organizationId: req.params.id, userId: body.user_id, role: body.role, via: 'backend api' }, 'member added');
    sendClerkJson(res, 200, membership);
  });

  router.patch('/v1/organizations/:id/memberships/:userId', json, (req: Request<MembershipParams>, res) => {
    const { role } = parseBackendBody(updateMembershipInput, req.body, 'The body must be { role }');
    const membership = ctx.organizations.setRole(req.params.id, req.params.userId, role, changeContext(req, 'admin'));
    ctx.log.info({ organizationId: req.params.id, userId: req.params.userId, role, via: 'backend api' }, 'member role set');
    sendClerkJson(res, 200, membership);
  });

  router.patch('/v1/organizations/:id/memberships/:userId/metadata', json, (req: Request<MembershipParams>, res) => {
    const change = parseBackendBody(metadataBody, req.body, 'The body must be an object with public_metadata or private_metadata objects');
    const membership = ctx.organizations.updateMembershipMetadata(req.params.id, req.params.userId, change, changeContext(req, 'admin'));
    ctx.log.info({ organizationId: req.params.id, userId: req.params.userId, via: 'backend api' }, 'membership metadata updated');
    sendClerkJson(res, 200, membership);
  });

  router.delete('/v1/organizations/:id/memberships/:userId', (req: Request<MembershipParams>, res) => {
    const membership = ctx.organizations.removeMember(req.params.id, req.params.userId, changeContext(req, 'admin'));
    ctx.log.info({ organizationId: req.params.id, userId: req.params.userId, via: 'backend api' }, 'member removed');
    sendClerkJson(res, 200, membership);
  });

  router.get('/v1/organization_memberships', (req, res) => {
    onlyParams(req, ['limit', 'offset', 'order_by']);
    const page = { orderBy: orderParam(req, MEMBERSHIP_ORDERS, '-created_at'), ...pageParams(req) };
    sendClerkPage(res, ctx.organizations.pageMemberships({}, page), ctx.organizations.countMemberships({}));
  });

  router.get('/v1/users/:id/organization_memberships', (req: Request<{ id: string }>, res) => {
    onlyParams(req, ['limit', 'offset']);
    if (!ctx.directory.get(req.params.id)) throw notFound();
    const filter = { userIds: [req.params.id] };
    sendClerkPage(res, ctx.organizations.pageMemberships(filter, { orderBy: '-created_at', ...pageParams(req) }), ctx.organizations.countMemberships(filter));
  });

  return router;
}

import { Router, type Request } from 'express';
import { OrganizationNotFoundError } from '../errors';
import { createMembershipInput, createOrganizationInput, updateMembershipInput, updateOrganizationInput } from '../organization-input';
import { parseBody } from './admin-body';
import { changeContext, type EmulatorContext } from './context';

type OrganizationParams = { id: string };
type MembershipParams = { id: string; userId: string };

/**
 * The admin API's organizations and memberships (JSON), mounted by `adminRouter` behind its
 * host and origin checks. Each change sends Clerk's webhook for it. A body is validated before
 * anything is looked up: bad input is a 400 and changes nothing; an unknown id is a 404.
 */
export function adminOrganizationRouter(ctx: EmulatorContext): Router {
  const router = Router();

  router.get('/admin/organizations', (_req, res) => {
    res.json({ data: ctx.organizations.list() });
  });

  router.get('/admin/organizations/:id', (req: Request<OrganizationParams>, res) => {
    const organization = ctx.organizations.get(req.params.id);
    if (!organization) throw new OrganizationNotFoundError(req.params.id);
    res.json(organization);
  });

  router.post('/admin/organizations', (req, res) => {
    const input = parseBody(createOrganizationInput, req.body);
    const organization = ctx.organizations.create({ name: input.name, slug: input.slug, createdBy: input.created_by }, changeContext(req, 'admin'));
    ctx.log.info({ organizationId: organization.id, userId: input.created_by, via: 'admin' }, 'organization created');
    res.status(201).json(organization);
  });

  router.patch('/admin/organizations/:id', (req: Request<OrganizationParams>, res) => {
    const input = parseBody(updateOrganizationInput, req.body);
    const organization = ctx.organizations.update(req.params.id, input, changeContext(req, 'admin'));
    ctx.log.info({ organizationId: organization.id, via: 'admin' }, 'organization updated');
    res.json(organization);
  });

  router.delete('/admin/organizations/:id', (req: Request<OrganizationParams>, res) => {
    const deleted = ctx.organizations.delete(req.params.id, changeContext(req, 'admin'));
    ctx.log.info({ organizationId: deleted.id, via: 'admin' }, 'organization deleted');
    res.json(deleted);
  });

  router.get('/admin/organizations/:id/memberships', (req: Request<OrganizationParams>, res) => {
    if (!ctx.organizations.get(req.params.id)) throw new OrganizationNotFoundError(req.params.id);
    res.json({ data: ctx.organizations.membershipsOf(req.params.id) });
  });

  router.post('/admin/organizations/:id/memberships', (req: Request<OrganizationParams>, res) => {
    const input = parseBody(createMembershipInput, req.body);
    const membership = ctx.organizations.addMember(req.params.id, input.user_id, input.role, changeContext(req, 'admin'));
    ctx.log.info({ organizationId: req.params.id, userId: input.user_id, role: input.role, via: 'admin' }, 'member added');
    res.status(201).json(membership);
  });

  router.patch('/admin/organizations/:id/memberships/:userId', (req: Request<MembershipParams>, res) => {
    const { role } = parseBody(updateMembershipInput, req.body);
    const membership = ctx.organizations.setRole(req.params.id, req.params.userId, role, changeContext(req, 'admin'));
    ctx.log.info({ organizationId: req.params.id, userId: req.params.userId, role, via: 'admin' }, 'member role set');
    res.json(membership);
  });

  router.delete('/admin/organizations/:id/memberships/:userId', (req: Request<MembershipParams>, res) => {
    const membership = ctx.organizations.removeMember(req.params.id, req.params.userId, changeContext(req, 'admin'));
    ctx.log.info({ organizationId: req.params.id, userId: req.params.userId, via: 'admin' }, 'member removed');
    res.json(membership);
  });

  return router;
}

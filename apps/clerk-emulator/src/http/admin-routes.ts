import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { EmulatorRequestError, OrganizationNotFoundError, UserNotFoundError } from '../errors';
import { hashPassword } from '../passwords';
import { activeOrganizationOf, signSessionToken, type ActiveOrganization } from '../session-tokens';
import { createUserInput, updateUserInput } from '../user-input';
import { parseBody } from './admin-body';
import { adminOrganizationRouter } from './admin-organization-routes';
import { changeContext, selfOrigins, type EmulatorContext } from './context';

const sessionRequest = z.strictObject({
  user_id: z.string({ error: 'user_id is required (the user_… id of an existing user)' }).min(1, 'user_id is required'),
  azp: z
    .string({ error: 'azp must be an origin such as http://localhost:5173' })
    .refine((value) => {
      try {
        return new URL(value).origin === value;
      } catch {
        return false;
      }
    }, 'azp must be an origin such as http://localhost:5173 (scheme, host and port, no path)')
    .optional(),
  org_id: z
    .string({ error: 'org_id must be the org_… id of an organization the user is a member of' })
    .min(1, 'org_id must be the org_… id of an organization the user is a member of')
    .optional(),
});

/** As Svix's recover: messages created since a point in time (ISO 8601), or all of them. */
const recoverRequest = z.strictObject({
  since: z.iso
    .datetime({ offset: true, error: 'since must be an ISO 8601 date-time such as 2026-01-31T09:00:00Z' })
    .optional(),
});

/**
 * The admin API (JSON) for tests, benchmarks and scripts. It has no authentication, which is why
 * the stand-in listens on loopback and refuses to run in production; requests that a browser
 * sends from another origin are refused outright.
 */
export function adminRouter(ctx: EmulatorContext): Router {
  const router = Router();

  // Only names that mean "this machine" (or the configured public host) may address the admin
  // API, so that a web page cannot reach it through DNS rebinding.
  const trustedHostnames = new Set(['localhost', '127.0.0.1', '[::1]', new URL(ctx.publicUrl).hostname]);
  router.use('/admin', (req, res, next) => {
    if (!trustedHostnames.has(req.hostname.toLowerCase())) {
      res.status(403).json({ error: 'host_refused', message: `The admin API answers only requests addressed to ${[...trustedHostnames].join(', ')}.` });
      return;
    }
    const origin = req.get('origin');
    if (origin !== undefined && !selfOrigins(ctx, req).includes(origin)) {
      res.status(403).json({ error: 'cross_origin_refused', message: 'The admin API does not answer requests made by web pages.' });
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.use('/admin', express.json({ limit: '64kb' }));

  router.get('/admin/config', (_req, res) => {
    res.json(ctx.publicConfig);
  });

  router.get('/admin/users', (_req, res) => {
    res.json({ data: ctx.directory.list() });
  });

  router.get('/admin/users/:id', (req: Request<{ id: string }>, res) => {
    const user = ctx.directory.get(req.params.id);
    if (!user) throw new UserNotFoundError(req.params.id);
    res.json(user);
  });

  router.post('/admin/users', async (req, res) => {
    const { password, ...fields } = parseBody(createUserInput, req.body);
    const passwordHash = password === undefined ? null : await hashPassword(password);
    const user = ctx.directory.create(fields, changeContext(req, 'admin'), passwordHash);
    ctx.log.info({ userId: user.id, via: 'admin' }, 'user created');
    res.status(201).json(user);
  });

  router.patch('/admin/users/:id', (req: Request<{ id: string }>, res) => {
    const input = parseBody(updateUserInput, req.body);
    const user = ctx.directory.update(req.params.id, input, changeContext(req, 'admin'));
    ctx.log.info({ userId: user.id, via: 'admin' }, 'user updated');
    res.json(user);
  });

  router.delete('/admin/users/:id', (req: Request<{ id: string }>, res) => {
    const deleted = ctx.directory.delete(req.params.id, changeContext(req, 'admin'));
    ctx.log.info({ userId: deleted.id, via: 'admin' }, 'user deleted');
    res.json(deleted);
  });

  router.post('/admin/sessions', (req, res) => {
    const input = parseBody(sessionRequest, req.body);
    if (!ctx.directory.get(input.user_id)) throw new UserNotFoundError(input.user_id);
    const organization = input.org_id === undefined ? undefined : activeOrganization(ctx, input.org_id, input.user_id);
    const session = ctx.sessions.startHeadlessSession(input.user_id, organization?.id ?? null);
    const jwt = signSessionToken(ctx.identity, {
      userId: session.userId,
      sessionId: session.sessionId,
      // As a browser session would get: the SPA's origin (the first allowed one) unless told otherwise.
      authorizedParty: input.azp ?? ctx.allowedOrigins[0],
      issuer: ctx.publicUrl,
      lifetimeSeconds: ctx.sessionTokenLifetimeSeconds,
      organization,
    });
    ctx.log.info({ userId: session.userId, sessionId: session.sessionId, organizationId: organization?.id, via: 'admin' }, 'session token issued');
    res.json({ jwt });
  });

  router.use(adminOrganizationRouter(ctx));

  router.get('/admin/webhooks', (_req, res: Response) => {
    res.json(ctx.outbox.stats());
  });

  router.post('/admin/webhooks/recover', (req, res) => {
    const { since } = parseBody(recoverRequest, req.body ?? {});
    const recovered = ctx.recoverWebhooks(since === undefined ? 0 : Date.parse(since));
    ctx.log.info({ since, recovered, via: 'admin' }, 'given-up webhooks recovered');
    res.json({ recovered });
  });

  return router;
}

/** The organization a token names as active: one the user is a member of. */
function activeOrganization(ctx: EmulatorContext, organizationId: string, userId: string): ActiveOrganization {
  if (!ctx.organizations.get(organizationId)) throw new OrganizationNotFoundError(organizationId);
  const membership = ctx.organizations.membership(organizationId, userId);
  if (!membership) {
    throw new EmulatorRequestError(
      400,
      'invalid_request',
      `Invalid request: org_id: user ${userId} is not a member of organization ${organizationId}; add them first (POST /admin/organizations/${organizationId}/memberships).`,
      'org_id',
    );
  }
  return activeOrganizationOf(membership);
}

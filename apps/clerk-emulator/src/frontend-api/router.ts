import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import methodOverride from 'method-override';
import multer from 'multer';
import { EmulatorRequestError } from '../errors';
import { changeContext, type EmulatorContext } from '../http/context';
import type { BrowserSession } from '../sessions';
import type { ClerkUserJson } from '../clerk-json';
import { activeOrganizationOf, signSessionToken } from '../session-tokens';
import type { ClientRecord } from './clients';
import { environmentJson } from './environment';
import { FrontendApiError, signedOut } from './errors';
import { AuthFlows, type FormFields, type Requester } from './flows';
import { frontendOrganizationRoutes } from './organization-routes';
import { clientJson, frontendUserJson, sessionJson, sessionWithActivityJson, signInJson, signUpJson, tokenJson, type UserView } from './resources';

/** The paths of Clerk's Frontend API that the stand-in serves; everything under /v1 else is not its. */
export const FRONTEND_API_PATHS = ['/v1/dev_browser', '/v1/environment', '/v1/client', '/v1/me', '/v1/organizations'];

const MAX_PROFILE_IMAGE_BYTES = 10 * 1024 * 1024;
const APPLICATION_NAME = 'Expectations';

interface FapiLocals {
  client: ClientRecord;
}

/**
 * The part of Clerk's Frontend API that clerk-js 6 uses for what the environment enables: the
 * dev browser, the environment, the client with its sign-in and sign-up, sessions and their
 * tokens, and the signed-in user's own account. Requests come through the SPA's `/__clerk` proxy
 * (same origin), each with the browser's dev browser token as `__clerk_db_jwt`.
 */
export function frontendApiRouter(ctx: EmulatorContext): Router {
  const router = Router();
  const flows = new AuthFlows(ctx);
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_PROFILE_IMAGE_BYTES, files: 1 } });

  router.use(FRONTEND_API_PATHS, (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // clerk-js sends every change as POST with the real method in `_method` (fewer CORS preflights).
  router.use(
    FRONTEND_API_PATHS,
    methodOverride((req) => (typeof req.query._method === 'string' ? req.query._method : '')),
  );
  router.use(FRONTEND_API_PATHS, express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 }));

  router.post('/v1/dev_browser', (_req, res) => {
    const { token } = ctx.clients.createDevBrowser();
    res.setHeader('Clerk-Db-Jwt', token);
    res.json({ object: 'dev_browser', id: token });
  });

  router.get('/v1/environment', (_req, res) => {
    res.json(environmentJson(APPLICATION_NAME));
  });
  router.patch('/v1/environment', (_req, res) => {
    res.json(environmentJson(APPLICATION_NAME));
  });

  // Every other call belongs to one browser: its client.
  router.use(['/v1/client', '/v1/me', '/v1/organizations'], (req, res, next) => {
    const token = req.query.__clerk_db_jwt;
    if (typeof token !== 'string' || token === '') {
      next(new FrontendApiError(401, 'dev_browser_unauthenticated', 'Unable to authenticate this browser for your development instance.'));
      return;
    }
    (res.locals as FapiLocals).client = ctx.clients.forDevBrowser(token);
    next();
  });

  const clientOf = (res: Response) => (res.locals as FapiLocals).client;
  const fields = (req: Request) => (req.body ?? {}) as FormFields;
  const requester = (req: Request, sessionId?: string): Requester => {
    const change = changeContext(req, 'email_code');
    return { change, userAgent: change.userAgent, clientIp: change.clientIp, sessionId };
  };

  /** The token's `azp`: the page's origin when it is one of the SPA's, as Clerk takes it from the request. */
  const authorizedParty = (req: Request) => {
    const origin = req.get('origin');
    return origin !== undefined && ctx.allowedOrigins.includes(origin) ? origin : ctx.allowedOrigins[0];
  };
  /**
   * A token for the session, with the `o` claim of `organizationId` (by default the session's
   * active organization; null: none) while the user is a member of it.
   */
  const sign = (req: Request, session: BrowserSession, organizationId: string | null = session.activeOrganizationId) => {
    const membership = organizationId === null ? undefined : ctx.organizations.membership(organizationId, session.userId);
    return signSessionToken(ctx.identity, {
      userId: session.userId,
      sessionId: session.sessionId,
      authorizedParty: authorizedParty(req),
      issuer: ctx.publicUrl,
      lifetimeSeconds: ctx.sessionTokenLifetimeSeconds,
      // The session began when its first factor was verified.
      firstFactorVerifiedAt: session.createdAt,
      organization: membership ? activeOrganizationOf(membership) : undefined,
    });
  };

  const userView = (user: ClerkUserJson): UserView => ({ user, memberships: ctx.organizations.membershipsOfUser(user.id) });
  const userJson = (user: ClerkUserJson) => frontendUserJson(userView(user));

  const viewOfClient = (req: Request, client: ClientRecord) => {
    const now = Date.now();
    const sessions = ctx.sessions.forClient(client.id).flatMap((session) => {
      const user = ctx.directory.get(session.userId);
      return user ? [sessionJson({ session, ...userView(user), jwt: sign(req, session) }, now)] : [];
    });
    const signInUser = client.signIn ? ctx.directory.get(client.signIn.userId) : undefined;
    const hasPassword = signInUser ? ctx.directory.passwordHashOf(signInUser.id) !== null : false;
    return clientJson(client, sessions, signInJson(client.signIn, signInUser, hasPassword), now);
  };

  /** Clerk's envelope: the resource, and the browser's client as it now stands. */
  const reply = (req: Request, res: Response, response: unknown) => {
    res.json({ response, client: viewOfClient(req, clientOf(res)) });
  };

  /** The browser's live session named by `id` (or by `_clerk_session_id`, else its only one). */
  const sessionOf = (req: Request, res: Response, id?: string) => {
    const wanted = id ?? (typeof req.query._clerk_session_id === 'string' ? req.query._clerk_session_id : undefined);
    const sessions = ctx.sessions.forClient(clientOf(res).id);
    const session = wanted ? sessions.find((candidate) => candidate.sessionId === wanted) : sessions.at(-1);
    if (!session) throw signedOut();
    return session;
  };
  const signedInUser = (req: Request, res: Response) => {
    const session = sessionOf(req, res);
    const user = ctx.directory.get(session.userId);
    if (!user) throw signedOut();
    return { session, user };
  };

  // The client

  router.get('/v1/client', (req, res) => {
    res.json({ response: viewOfClient(req, clientOf(res)), client: null });
  });
  router.put('/v1/client', (req, res) => {
    res.json({ response: viewOfClient(req, clientOf(res)), client: null });
  });
  router.delete('/v1/client', (req, res) => {
    const client = clientOf(res);
    signOut(client);
    res.json({ response: viewOfClient(req, client), client: null });
  });

  const signOut = (client: ClientRecord) => {
    ctx.sessions.endForClient(client.id);
    ctx.clients.saveSignIn(client, null);
    ctx.clients.saveSignUp(client, null);
  };

  // Sign-in

  const signInResponse = (res: Response) => {
    const { signIn } = clientOf(res);
    const user = signIn ? ctx.directory.get(signIn.userId) : undefined;
    return signInJson(signIn, user, user ? ctx.directory.passwordHashOf(user.id) !== null : false);
  };

  router.post('/v1/client/sign_ins', async (req, res) => {
    await flows.createSignIn(clientOf(res), fields(req), requester(req));
    reply(req, res, signInResponse(res));
  });
  router.get('/v1/client/sign_ins/:id', (req, res) => {
    if (clientOf(res).signIn?.id !== req.params.id) throw new FrontendApiError(404, 'resource_not_found', 'This sign-in is over.');
    reply(req, res, signInResponse(res));
  });
  router.post('/v1/client/sign_ins/:id/prepare_first_factor', (req, res) => {
    flows.prepareFirstFactor(clientOf(res), req.params.id, fields(req));
    reply(req, res, signInResponse(res));
  });
  router.post('/v1/client/sign_ins/:id/attempt_first_factor', async (req, res) => {
    await flows.attemptFirstFactor(clientOf(res), req.params.id, fields(req), requester(req));
    reply(req, res, signInResponse(res));
  });

  // Sign-up

  router.post('/v1/client/sign_ups', async (req, res) => {
    await flows.createSignUp(clientOf(res), fields(req));
    reply(req, res, signUpJson(clientOf(res).signUp));
  });
  router.get('/v1/client/sign_ups/:id', (req, res) => {
    if (clientOf(res).signUp?.id !== req.params.id) throw new FrontendApiError(404, 'resource_not_found', 'This sign-up is over.');
    reply(req, res, signUpJson(clientOf(res).signUp));
  });
  router.patch('/v1/client/sign_ups/:id', async (req, res) => {
    await flows.updateSignUp(clientOf(res), req.params.id, fields(req));
    reply(req, res, signUpJson(clientOf(res).signUp));
  });
  router.post('/v1/client/sign_ups/:id/prepare_verification', (req, res) => {
    flows.prepareVerification(clientOf(res), req.params.id, fields(req));
    reply(req, res, signUpJson(clientOf(res).signUp));
  });
  router.post('/v1/client/sign_ups/:id/attempt_verification', (req, res) => {
    flows.attemptVerification(clientOf(res), req.params.id, fields(req), requester(req));
    reply(req, res, signUpJson(clientOf(res).signUp));
  });

  // Sessions

  const sessionResponse = (req: Request, session: ReturnType<typeof sessionOf>) => {
    const user = ctx.directory.get(session.userId);
    if (!user) throw signedOut();
    return sessionJson({ session, ...userView(user), jwt: sign(req, session) }, Date.now());
  };

  router.delete('/v1/client/sessions', (req, res) => {
    signOut(clientOf(res));
    res.json({ response: viewOfClient(req, clientOf(res)), client: null });
  });
  /** A form's `active_organization_id` or `organization_id`: absent, undefined; empty, the personal account (null). */
  const organizationField = (req: Request, name: string): string | null | undefined => {
    const value = fields(req)[name];
    return value === undefined ? undefined : value === '' ? null : value;
  };

  router.post('/v1/client/sessions/:id/touch', (req, res) => {
    const session = sessionOf(req, res, req.params.id);
    ctx.sessions.touch(session.sessionId);
    // <OrganizationSwitcher/> and setActive() choose the active organization here: one the user is a member of.
    const activeOrganizationId = organizationField(req, 'active_organization_id');
    if (activeOrganizationId && !ctx.organizations.membership(activeOrganizationId, session.userId)) {
      throw new FrontendApiError(404, 'resource_not_found', 'Organization not found.', `You are not a member of organization ${activeOrganizationId}.`, 'active_organization_id');
    }
    if (activeOrganizationId !== undefined) ctx.sessions.setActiveOrganization(session.sessionId, activeOrganizationId);
    reply(req, res, sessionResponse(req, sessionOf(req, res, session.sessionId)));
  });
  router.post(['/v1/client/sessions/:id/tokens', '/v1/client/sessions/:id/tokens/:template'], (req: Request<{ id: string }>, res) => {
    const origin = req.get('origin');
    if (origin !== undefined && !ctx.allowedOrigins.includes(origin)) {
      throw new FrontendApiError(
        403,
        'origin_invalid',
        'This origin may not get session tokens.',
        `Session tokens are issued to the origins in ALLOWED_ORIGINS (${ctx.allowedOrigins.join(', ')}); this page is on ${origin}.`,
      );
    }
    const session = sessionOf(req, res, req.params.id);
    // clerk-js names the organization the token is for (empty: the personal account). One the user
    // is not, or no longer, a member of gets no `o`, rather than an error that would stop the refresh.
    res.json(tokenJson(sign(req, session, organizationField(req, 'organization_id'))));
  });
  router.post(['/v1/client/sessions/:id/end', '/v1/client/sessions/:id/remove'], (req: Request<{ id: string }>, res) => {
    const session = sessionOf(req, res, req.params.id);
    const response = sessionResponse(req, session);
    signOut(clientOf(res));
    reply(req, res, { ...response, status: req.path.endsWith('/end') ? 'ended' : 'removed' });
  });

  // The signed-in user's own account

  router.get('/v1/me', (req, res) => {
    reply(req, res, userJson(signedInUser(req, res).user));
  });
  router.patch('/v1/me', (req, res) => {
    const { user, session } = signedInUser(req, res);
    const updated = flows.updateProfile(user.id, fields(req), requester(req, session.sessionId));
    reply(req, res, userJson(updated));
  });
  router.delete('/v1/me', (req, res) => {
    const { user } = signedInUser(req, res);
    const deleted = ctx.directory.delete(user.id, changeContext(req, 'email_code'));
    ctx.log.info({ userId: user.id, via: 'user-profile' }, 'user deleted');
    signOut(clientOf(res));
    reply(req, res, deleted);
  });
  router.get('/v1/me/sessions/active', (req, res) => {
    const { user } = signedInUser(req, res);
    // A bare array, as Clerk answers this one call.
    res.json(ctx.sessions.forUser(user.id).map((session) => sessionWithActivityJson(session)));
  });
  router.post('/v1/me/sessions/:id/revoke', (req, res) => {
    const { user } = signedInUser(req, res);
    const revoked = ctx.sessions.forUser(user.id).find((session) => session.sessionId === req.params.id);
    flows.revokeSession(user.id, req.params.id);
    reply(req, res, revoked ? { ...sessionWithActivityJson(revoked), status: 'revoked' } : null);
  });
  router.post('/v1/me/change_password', async (req, res) => {
    const { user, session } = signedInUser(req, res);
    reply(req, res, userJson(await flows.changePassword(user.id, fields(req), requester(req, session.sessionId))));
  });
  router.post('/v1/me/remove_password', async (req, res) => {
    const { user, session } = signedInUser(req, res);
    reply(req, res, userJson(await flows.removePassword(user.id, fields(req), requester(req, session.sessionId))));
  });
  router.post('/v1/me/profile_image', upload.single('file'), (req, res) => {
    const { user } = signedInUser(req, res);
    const file = req.file;
    if (!file || !/^image\/(png|jpeg|gif|webp)$/.test(file.mimetype)) {
      throw new FrontendApiError(422, 'form_param_format_invalid', 'Choose a PNG, JPEG, GIF or WebP image.', undefined, 'file');
    }
    const imageId = ctx.images.save(user.id, { contentType: file.mimetype, bytes: file.buffer });
    const publicUrl = `${ctx.publicUrl}/images/${imageId}`;
    ctx.directory.update(user.id, { image_url: publicUrl }, changeContext(req, 'email_code'));
    reply(req, res, { object: 'image', id: imageId, name: file.originalname, public_url: publicUrl });
  });
  router.delete('/v1/me/profile_image', (req, res) => {
    const { user } = signedInUser(req, res);
    const updated = ctx.directory.update(user.id, { image_url: null }, changeContext(req, 'email_code'));
    reply(req, res, { object: 'image', id: user.id, name: null, public_url: updated.image_url });
  });

  frontendOrganizationRoutes(router, ctx, { reply, signedInUser, fields });

  router.use(FRONTEND_API_PATHS, (req, _res, next) => {
    next(new FrontendApiError(404, 'resource_not_found', `The Clerk stand-in does not serve ${req.method} ${req.path}.`));
  });
  router.use(FRONTEND_API_PATHS, frontendApiErrors(ctx));
  return router;
}

/** Every error on these paths in Clerk's shape, so that the components show it. */
function frontendApiErrors(ctx: EmulatorContext): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) return;
    let known: FrontendApiError;
    if (error instanceof FrontendApiError) known = error;
    else if (error instanceof EmulatorRequestError) known = new FrontendApiError(error.status === 409 ? 422 : error.status, error.code, error.message, error.message, error.field);
    else if (error instanceof multer.MulterError) known = new FrontendApiError(413, 'form_param_format_invalid', 'That file is too large.', `Profile images must be at most ${MAX_PROFILE_IMAGE_BYTES / 1024 / 1024} MB.`, 'file');
    else {
      const status = (error as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) known = new FrontendApiError(status, 'bad_request', 'The request could not be read.');
      else {
        ctx.log.error({ err: error, method: req.method, path: req.path }, 'frontend API request failed');
        known = new FrontendApiError(500, 'internal_error', 'Something went wrong in the Clerk stand-in; it was logged.');
      }
    }
    if (known.status < 500) ctx.log.warn({ method: req.method, path: req.path, status: known.status, code: known.code }, 'frontend API request refused');
    res.status(known.status).json(known.toJSON());
  };
}

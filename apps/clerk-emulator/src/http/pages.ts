import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { EmulatorRequestError } from '../errors';
import { createUserInput, describeProblems, updateUserInput } from '../user-input';
import {
  changeContext,
  CLEARED_SESSION_COOKIE,
  currentSession,
  resolveRedirectUrl,
  selfOrigins,
  sessionCookie,
  type EmulatorContext,
} from './context';
import { problemPage, profilePage, signInPage, signOutPage, signUpPage, withRedirect, type FormValues } from './page-views';

const SIGN_IN_LIST_LIMIT = 50;

/**
 * The Account Portal pages: sign in, sign up, profile, sign out. Server-rendered HTML; every
 * form posts to its own path and ends with a 303 to `redirect_url`.
 */
export function pagesRouter(ctx: EmulatorContext): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 });
  const paths = ['/sign-in', '/sign-up', '/user', '/sign-out'];

  router.use(paths, pageHeaders(ctx));
  router.post(paths, requireSameOrigin(ctx), form);

  /** The validated redirect target, or undefined after answering 400. */
  const redirectTarget = (req: Request, res: Response, source: 'query' | 'body'): string | undefined => {
    const raw = source === 'query' ? req.query.redirect_url : (req.body as Record<string, unknown> | undefined)?.redirect_url;
    const resolution = resolveRedirectUrl(ctx, req, raw);
    if (resolution.ok) return resolution.url;
    res.status(400).type('html').send(problemPage('This link cannot be used', resolution.message));
    return undefined;
  };

  const signedInUser = (req: Request) => {
    const session = currentSession(ctx, req);
    const user = session ? ctx.directory.get(session.userId) : undefined;
    return session && user ? { session, user } : undefined;
  };

  const renderSignIn = (req: Request, res: Response, redirectUrl: string, query: string, error?: string) => {
    res.type('html').send(
      signInPage({
        users: ctx.directory.list({ query, limit: SIGN_IN_LIST_LIMIT }),
        limit: SIGN_IN_LIST_LIMIT,
        query,
        redirectUrl,
        signedInAs: signedInUser(req)?.user,
        error,
      }),
    );
  };

  router.get('/sign-in', (req, res) => {
    const redirectUrl = redirectTarget(req, res, 'query');
    if (redirectUrl === undefined) return;
    const query = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
    renderSignIn(req, res, redirectUrl, query);
  });

  router.post('/sign-in', (req, res) => {
    const redirectUrl = redirectTarget(req, res, 'body');
    if (redirectUrl === undefined) return;
    const userId = formValues(req).user_id ?? '';
    const user = ctx.directory.get(userId);
    if (!user) {
      res.status(422);
      renderSignIn(req, res, redirectUrl, '', 'That account no longer exists. Pick another one, or create an account.');
      return;
    }
    signIn(ctx, req, res, user.id);
    res.redirect(303, redirectUrl);
  });

  router.get('/sign-up', (req, res) => {
    const redirectUrl = redirectTarget(req, res, 'query');
    if (redirectUrl === undefined) return;
    res.type('html').send(signUpPage({ values: {}, errors: {}, redirectUrl }));
  });

  router.post('/sign-up', (req, res) => {
    const redirectUrl = redirectTarget(req, res, 'body');
    if (redirectUrl === undefined) return;
    const values = pick(formValues(req), ['first_name', 'last_name', 'email_address']);
    const parsed = createUserInput.safeParse(values);
    const errors = humanize(parsed.success ? {} : describeProblems(parsed.error).byField);
    // The API accepts users without names; the sign-up form, like Clerk's with names required, does not.
    if (!values.first_name?.trim()) errors.first_name = 'Enter your first name.';
    if (!values.last_name?.trim()) errors.last_name = 'Enter your last name.';
    if (!parsed.success || Object.keys(errors).length > 0) {
      res.status(422).type('html').send(signUpPage({ values, errors, redirectUrl }));
      return;
    }
    try {
      const user = ctx.directory.create(parsed.data, changeContext(req, 'email_code'));
      ctx.log.info({ userId: user.id, via: 'sign-up page' }, 'user created');
      signIn(ctx, req, res, user.id);
      res.redirect(303, redirectUrl);
    } catch (error) {
      if (!(error instanceof EmulatorRequestError) || error.status >= 500) throw error;
      const fieldErrors = error.field ? { [error.field]: error.message } : {};
      res.status(error.status === 409 ? 409 : 422).type('html').send(
        signUpPage({ values, errors: fieldErrors, redirectUrl, formError: error.field ? undefined : error.message }),
      );
    }
  });

  router.get('/user', (req, res) => {
    const redirectUrl = redirectTarget(req, res, 'query');
    if (redirectUrl === undefined) return;
    const current = signedInUser(req);
    if (!current) {
      const here = `${req.protocol}://${req.get('host') ?? new URL(ctx.publicUrl).host}${withRedirect('/user', redirectUrl)}`;
      res.redirect(303, withRedirect('/sign-in', here));
      return;
    }
    res.type('html').send(profilePage({ user: current.user, redirectUrl }));
  });

  router.post('/user', (req, res) => {
    const redirectUrl = redirectTarget(req, res, 'body');
    if (redirectUrl === undefined) return;
    const current = signedInUser(req);
    if (!current) {
      res.status(401).type('html').send(problemPage('You are signed out', 'Sign in again to change your profile.'));
      return;
    }
    const submitted = formValues(req);
    if (submitted._action === 'delete') {
      if (submitted.confirm_delete !== 'yes') {
        res.status(422).type('html').send(
          profilePage({ user: current.user, redirectUrl, deleteError: 'Tick the box to confirm that you want to delete your account.' }),
        );
        return;
      }
      ctx.directory.delete(current.user.id, changeContext(req, 'email_code'));
      ctx.log.info({ userId: current.user.id, via: 'profile page' }, 'user deleted');
      res.setHeader('Set-Cookie', CLEARED_SESSION_COOKIE);
      res.redirect(303, redirectUrl);
      return;
    }
    const values = pick(submitted, ['first_name', 'last_name', 'username', 'image_url', 'email_address']);
    const parsed = updateUserInput.safeParse(values);
    if (!parsed.success) {
      const errors = humanize(describeProblems(parsed.error).byField);
      res.status(422).type('html').send(profilePage({ user: current.user, redirectUrl, values, errors }));
      return;
    }
    try {
      ctx.directory.update(current.user.id, parsed.data, changeContext(req, 'email_code'));
      ctx.log.info({ userId: current.user.id, via: 'profile page' }, 'user updated');
      res.redirect(303, redirectUrl);
    } catch (error) {
      if (!(error instanceof EmulatorRequestError) || error.status >= 500) throw error;
      const errors = error.field ? { [error.field]: error.message } : {};
      res.status(error.status === 409 ? 409 : 422).type('html').send(
        profilePage({ user: current.user, redirectUrl, values, errors, formError: error.field ? undefined : error.message }),
      );
    }
  });

  router.get('/sign-out', (req, res) => {
    const redirectUrl = redirectTarget(req, res, 'query');
    if (redirectUrl === undefined) return;
    const current = signedInUser(req);
    if (!current) {
      res.redirect(303, redirectUrl);
      return;
    }
    res.type('html').send(signOutPage(current.user, redirectUrl));
  });

  router.post('/sign-out', (req, res) => {
    const redirectUrl = redirectTarget(req, res, 'body');
    if (redirectUrl === undefined) return;
    const session = currentSession(ctx, req);
    if (session) {
      ctx.sessions.end(session.sessionId);
      ctx.log.info({ userId: session.userId, sessionId: session.sessionId }, 'signed out');
    }
    res.setHeader('Set-Cookie', CLEARED_SESSION_COOKIE);
    res.redirect(303, redirectUrl);
  });

  return router;
}

function signIn(ctx: EmulatorContext, req: Request, res: Response, userId: string): void {
  const previous = currentSession(ctx, req);
  if (previous) ctx.sessions.end(previous.sessionId);
  const session = ctx.sessions.startBrowserSession(userId);
  ctx.log.info({ userId, sessionId: session.sessionId }, 'signed in');
  res.setHeader('Set-Cookie', sessionCookie(session.cookieToken));
}

function formValues(req: Request): Record<string, string | undefined> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, typeof value === 'string' ? value : undefined]));
}

function pick(values: Record<string, string | undefined>, names: string[]): FormValues {
  return Object.fromEntries(names.map((name) => [name, values[name] ?? '']));
}

/** Form messages speak to a person, not to a JSON client. */
function humanize(errors: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = {
    first_name: 'First name',
    last_name: 'Last name',
    email_address: 'Email address',
    username: 'Username',
    image_url: 'Avatar URL',
  };
  return Object.fromEntries(
    Object.entries(errors).map(([name, message]) => {
      const label = labels[name];
      return [name, label && message.startsWith(name) ? `${label}${message.slice(name.length)}.` : message];
    }),
  );
}

/**
 * Form posts must come from the stand-in's own pages. With SameSite=Lax cookies and this check,
 * another site cannot submit a form on a signed-in user's behalf.
 */
function requireSameOrigin(ctx: EmulatorContext): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin') ?? refererOrigin(req.get('referer'));
    if (origin !== undefined && selfOrigins(ctx, req).includes(origin)) {
      next();
      return;
    }
    ctx.log.warn({ path: req.path, origin: origin ?? null }, 'form post refused: not from the stand-in itself');
    res.status(403).type('html').send(
      problemPage('Request refused', 'This form must be submitted from the Clerk stand-in’s own page. Go back, reload the page and try again.'),
    );
  };
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

function pageHeaders(ctx: EmulatorContext): RequestHandler {
  // form-action must list the SPA origins too: browsers apply it to the redirect after a post.
  const csp = [
    "default-src 'none'",
    "style-src 'self'",
    'img-src * data:',
    `form-action 'self' ${ctx.allowedOrigins.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // same-origin keeps the Origin header on our own form posts (no-referrer would turn it into "null").
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

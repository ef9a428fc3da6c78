import express, { type ErrorRequestHandler, type Express } from 'express';
import { EmulatorRequestError } from './errors';
import { adminRouter } from './http/admin-routes';
import { avatarRouter } from './http/avatars';
import { backendApiRouter } from './http/backend-api';
import type { EmulatorContext } from './http/context';
import { clerkScriptsRouter, type ClerkScriptPackage } from './frontend-api/clerk-scripts';
import { frontendApiRouter } from './frontend-api/router';
import { developerPage, problemPage } from './http/page-views';
import { STAND_IN_CSS } from './http/styles';

const DEVELOPER_PAGE_USER_LIMIT = 50;

export function createEmulatorApp(ctx: EmulatorContext, clerkScripts: ClerkScriptPackage[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'");
    res.type('html').send(
      developerPage({
        appOrigins: ctx.allowedOrigins,
        users: ctx.directory.list({ limit: DEVELOPER_PAGE_USER_LIMIT }),
        webhooks: ctx.outbox.stats(),
        limit: DEVELOPER_PAGE_USER_LIMIT,
      }),
    );
  });
  app.get('/assets/stand-in.css', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('text/css').send(STAND_IN_CSS);
  });

  app.use(adminRouter(ctx));
  app.use(backendApiRouter(ctx));
  app.use(frontendApiRouter(ctx));
  app.use(clerkScriptsRouter(clerkScripts));
  app.use(avatarRouter(ctx));

  app.use((req, res) => {
    if (wantsJson(req.path)) res.status(404).json({ error: 'not_found', message: `No route ${req.method} ${req.path} in the Clerk stand-in.` });
    else res.status(404).type('html').send(problemPage('Page not found', 'The Clerk stand-in has no page at this address.'));
  });
  app.use(errorHandler(ctx));
  return app;
}

const wantsJson = (path: string) => path.startsWith('/admin') || path.startsWith('/v1');

function errorHandler(ctx: EmulatorContext): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) return;
    const known = error instanceof EmulatorRequestError ? error : undefined;
    const parserStatus = statusOf(error);
    const status = known?.status ?? (parserStatus >= 400 && parserStatus < 500 ? parserStatus : 500);
    const code = known?.code ?? (status === 413 ? 'payload_too_large' : status === 400 ? 'invalid_json' : status < 500 ? 'bad_request' : 'internal_error');
    const message =
      known?.message ??
      (status === 413
        ? 'The request body is larger than this route accepts.'
        : status === 400
          ? 'The request body is not valid JSON.'
          : status < 500
            ? 'The request could not be read.'
            : 'Something went wrong in the Clerk stand-in; it was logged.');
    if (status >= 500) ctx.log.error({ err: error, method: req.method, path: req.path }, 'request failed');
    else ctx.log.warn({ method: req.method, path: req.path, status, code }, 'request refused');
    if (wantsJson(req.path)) res.status(status).json({ error: code, message });
    else res.status(status).type('html').send(problemPage(status >= 500 ? 'Something went wrong' : 'Request refused', message));
  };
}

function statusOf(error: unknown): number {
  if (typeof error === 'object' && error !== null) {
    const status = (error as { status?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number') return status;
  }
  return 500;
}

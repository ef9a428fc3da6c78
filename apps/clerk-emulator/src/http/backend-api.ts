import { createHash, createPublicKey, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { USER_ORDERS } from '../user-directory';
import { backendApiOrganizationRouter, ORGANIZATION_API_PATHS } from './backend-api-organizations';
import {
  backendApiErrors,
  listParam,
  notFound,
  orderParam,
  pageParams,
  parseBackendBody,
  sendClerkError,
  sendClerkJson,
} from './backend-api-support';
import { changeContext, type EmulatorContext } from './context';

/** Clerk's Backend API limit for development instances: 100 requests per 10 s. */
export const DEFAULT_BAPI_RATE_LIMIT = 100;
export const BAPI_RATE_WINDOW_MS = 10_000;

/** A fixed window of `limit` requests per 10 s for the whole instance, as Clerk counts per secret key. */
function rateLimit(limit: number | null, now: () => number = Date.now): RequestHandler {
  let windowStart = 0;
  let used = 0;
  return (_req, res, next) => {
    if (limit === null) return next();
    const time = now();
    if (time - windowStart >= BAPI_RATE_WINDOW_MS) {
      windowStart = time;
      used = 0;
    }
    if (used < limit) {
      used += 1;
      return next();
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + BAPI_RATE_WINDOW_MS - time) / 1000));
    res.setHeader('Retry-After', String(retryAfterSeconds));
    sendClerkError(res, 429, { message: 'Too many requests', long_message: 'Too many requests, retry later', code: 'too_many_requests' });
  };
}

function bearerAuth(secretKey: string): RequestHandler {
  const expected = createHash('sha256').update(secretKey).digest();
  return (req, res, next) => {
    const match = /^Bearer +(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    // Compare digests: equal length always, and no timing hint about the key.
    if (match?.[1] && timingSafeEqual(createHash('sha256').update(match[1]).digest(), expected)) return next();
    sendClerkError(res, 401, {
      message: 'Invalid authentication',
      long_message: match
        ? 'Unable to authenticate the request, you need to supply an active API key'
        : 'The Authorization header is missing: send the instance secret key as "Authorization: Bearer sk_…".',
      code: 'authentication_invalid',
    });
  };
}

/**
 * Clerk serves its Frontend API and its Backend API on two hosts; the stand-in serves both on
 * one, and their organization paths are the same. A browser's call names its dev browser and
 * carries no secret key: it is the Frontend API's.
 */
function isFrontendApiCall(req: Request): boolean {
  return req.get('authorization') === undefined && typeof req.query.__clerk_db_jwt === 'string';
}

const metadataObject = z.record(z.string(), z.unknown());
const metadataPatch = z.strictObject({
  public_metadata: metadataObject.optional(),
  private_metadata: metadataObject.optional(),
  unsafe_metadata: metadataObject.optional(),
});

/**
 * Clerk's Backend API: for users, the requests `@clerk/backend`'s `users` client makes for
 * `getUserList` (which also asks `/v1/users/count`), `getUser`, `updateUserMetadata` and
 * `getOrganizationMembershipList`; for organizations, those of its `organizations` client (see
 * backend-api-organizations.ts); and the JWKS its `verifyToken` fetches when it has no public
 * key. Bearer secret-key authentication, Clerk's error body, and Clerk's rate limit with
 * `Retry-After`.
 */
export function backendApiRouter(ctx: EmulatorContext): Router {
  const router = Router();
  const authenticate = bearerAuth(ctx.identity.secretKey);
  // One budget for every Backend API route, as Clerk counts per instance.
  const limit = rateLimit(ctx.bapiRateLimit);
  const noStore: RequestHandler = (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
  router.use('/v1/users', authenticate, limit, noStore);
  router.use(ORGANIZATION_API_PATHS, (req, _res, next) => next(isFrontendApiCall(req) ? 'router' : undefined), authenticate, limit, noStore);

  router.get('/v1/users', (req, res) => {
    const users = ctx.directory.page({
      orderBy: orderParam(req, USER_ORDERS, '-created_at'),
      ...pageParams(req),
      userIds: listParam(req, 'user_id', 'user ids'),
    });
    sendClerkJson(res, 200, users);
  });

  router.get('/v1/users/count', (req, res) => {
    sendClerkJson(res, 200, { object: 'total_count', total_count: ctx.directory.count(listParam(req, 'user_id', 'user ids')) });
  });

  router.get('/v1/users/:id', (req: Request<{ id: string }>, res) => {
    const user = ctx.directory.get(req.params.id);
    if (!user) throw notFound();
    sendClerkJson(res, 200, user);
  });

  router.patch('/v1/users/:id/metadata', express.json({ limit: '64kb' }), (req: Request<{ id: string }>, res) => {
    const patch = parseBackendBody(metadataPatch, req.body, 'The body must be an object with public_metadata, private_metadata or unsafe_metadata objects');
    if (!ctx.directory.get(req.params.id)) throw notFound();
    const user = ctx.directory.updateMetadata(req.params.id, patch, changeContext(req, 'admin'));
    ctx.log.info({ userId: user.id, via: 'backend api' }, 'user metadata updated');
    sendClerkJson(res, 200, user);
  });

  router.use(backendApiOrganizationRouter(ctx));

  // The session tokens' public key, for servers that verify without CLERK_JWT_KEY (the API then
  // fetches it with the secret key and keeps it). It shares the one budget of every route here.
  const jwks = {
    keys: [{ ...createPublicKey(ctx.identity.jwtPublicKeyPem).export({ format: 'jwk' }), kid: ctx.identity.instanceId, alg: 'RS256', use: 'sig' }],
  };
  router.get('/v1/jwks', authenticate, limit, (_req, res) => sendClerkJson(res, 200, jwks));

  router.use(['/v1/users', ...ORGANIZATION_API_PATHS], backendApiErrors(ctx));
  return router;
}

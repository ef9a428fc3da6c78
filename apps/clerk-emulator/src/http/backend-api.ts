import { createHash, createPublicKey, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { EmulatorRequestError } from '../errors';
import { USER_ORDERS, type UserOrder } from '../user-directory';
import { changeContext, type EmulatorContext } from './context';

/** Clerk's Backend API limit for development instances: 100 requests per 10 s. */
export const DEFAULT_BAPI_RATE_LIMIT = 100;
export const BAPI_RATE_WINDOW_MS = 10_000;
/** Clerk's bounds on `GET /v1/users`: `limit` 1–500, default 10. */
export const MAX_USERS_PAGE = 500;
const DEFAULT_USERS_PAGE = 10;

/** One entry of Clerk's error body `{ errors: [...], clerk_trace_id }`. */
interface ClerkApiError {
  message: string;
  long_message: string;
  code: string;
  meta?: Record<string, unknown>;
}

class BackendApiError extends Error {
  override name = 'BackendApiError';
  constructor(
    readonly status: number,
    readonly error: ClerkApiError,
  ) {
    super(error.long_message);
  }
}

const invalidParam = (name: string, longMessage: string) =>
  new BackendApiError(422, { message: 'is invalid', long_message: longMessage, code: 'form_param_value_invalid', meta: { param_name: name } });

/**
 * Clerk answers `Content-Type: application/json` exactly, and `@clerk/backend` parses a body as
 * JSON only when the header is exactly that.
 */
function sendClerkJson(res: Response, status: number, body: unknown): void {
  // Node's own setHeader: Express's res.set and res.json would append a charset.
  res.setHeader('Content-Type', 'application/json');
  res.status(status).end(JSON.stringify(body));
}

function sendClerkError(res: Response, status: number, error: ClerkApiError): void {
  sendClerkJson(res, status, { errors: [error], clerk_trace_id: randomBytes(16).toString('hex') });
}

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

const queryText = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function integerParam(req: Request, name: string, fallback: number, min: number, max: number): number {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  const text = queryText(raw);
  const value = text !== undefined && /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalidParam(name, `${name} must be a whole number between ${min} and ${max}.`);
  }
  return value;
}

/** `user_id` may repeat (`?user_id=a&user_id=b`), as `@clerk/backend` sends an array. */
function userIdFilter(req: Request): string[] | undefined {
  const raw = req.query.user_id;
  if (raw === undefined) return undefined;
  const ids = (Array.isArray(raw) ? raw : [raw]).filter((id): id is string => typeof id === 'string' && id.length > 0);
  if (ids.length === 0) throw invalidParam('user_id', 'user_id must name one or more user ids.');
  if (ids.length > MAX_USERS_PAGE) throw invalidParam('user_id', `user_id may name at most ${MAX_USERS_PAGE} users per request.`);
  return ids;
}

function orderParam(req: Request): UserOrder {
  const raw = req.query.order_by;
  if (raw === undefined) return '-created_at';
  // `+created_at` and `created_at` mean the same; a `+` that arrived unencoded reads as a space.
  const text = queryText(raw)?.replace(/^[+ ]/, '');
  const order = USER_ORDERS.find((candidate) => candidate === text);
  if (!order) throw invalidParam('order_by', `order_by must be one of ${USER_ORDERS.map((o) => o.replace(/^(?!-)/, '+')).join(', ')} in the Clerk stand-in.`);
  return order;
}

const metadataObject = z.record(z.string(), z.unknown());
const metadataPatch = z.strictObject({
  public_metadata: metadataObject.optional(),
  private_metadata: metadataObject.optional(),
  unsafe_metadata: metadataObject.optional(),
});

/**
 * Clerk's Backend API for users: the requests `@clerk/backend`'s `users` client makes for
 * `getUserList` (which also asks `/v1/users/count`), `getUser` and `updateUserMetadata`, and the
 * JWKS its `verifyToken` fetches when it has no public key. Bearer
 * secret-key authentication, Clerk's error body, and Clerk's rate limit with `Retry-After`.
 */
export function backendApiRouter(ctx: EmulatorContext): Router {
  const router = Router();
  const authenticate = bearerAuth(ctx.identity.secretKey);
  // One budget for every Backend API route, as Clerk counts per instance.
  const limit = rateLimit(ctx.bapiRateLimit);
  router.use('/v1/users', authenticate, limit, (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.get('/v1/users', (req, res) => {
    const users = ctx.directory.page({
      orderBy: orderParam(req),
      offset: integerParam(req, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
      limit: integerParam(req, 'limit', DEFAULT_USERS_PAGE, 1, MAX_USERS_PAGE),
      userIds: userIdFilter(req),
    });
    sendClerkJson(res, 200, users);
  });

  router.get('/v1/users/count', (req, res) => {
    sendClerkJson(res, 200, { object: 'total_count', total_count: ctx.directory.count(userIdFilter(req)) });
  });

  router.get('/v1/users/:id', (req: Request<{ id: string }>, res) => {
    const user = ctx.directory.get(req.params.id);
    if (!user) throw notFound();
    sendClerkJson(res, 200, user);
  });

  router.patch('/v1/users/:id/metadata', express.json({ limit: '64kb' }), (req: Request<{ id: string }>, res) => {
    const parsed = metadataPatch.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalidParam(String(issue?.path[0] ?? 'body'), `The body must be an object with public_metadata, private_metadata or unsafe_metadata objects (${issue?.message ?? 'invalid'}).`);
    }
    if (!ctx.directory.get(req.params.id)) throw notFound();
    const user = ctx.directory.updateMetadata(req.params.id, parsed.data, changeContext(req, 'admin'));
    ctx.log.info({ userId: user.id, via: 'backend api' }, 'user metadata updated');
    sendClerkJson(res, 200, user);
  });

  // The session tokens' public key, for servers that verify without CLERK_JWT_KEY (the API then
  // fetches it with the secret key and keeps it). It shares the one budget of every route here.
  const jwks = {
    keys: [{ ...createPublicKey(ctx.identity.jwtPublicKeyPem).export({ format: 'jwk' }), kid: ctx.identity.instanceId, alg: 'RS256', use: 'sig' }],
  };
  router.get('/v1/jwks', authenticate, limit, (_req, res) => sendClerkJson(res, 200, jwks));

  router.use('/v1/users', backendApiErrors(ctx));
  return router;
}

const notFound = () =>
  new BackendApiError(404, { message: 'not found', long_message: 'Resource not found', code: 'resource_not_found' });

function backendApiErrors(ctx: EmulatorContext): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof BackendApiError) return sendClerkError(res, error.status, error.error);
    if (error instanceof EmulatorRequestError && error.status === 404) return sendClerkError(res, 404, notFound().error);
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      ctx.log.warn({ method: req.method, path: req.path, status }, 'backend api request refused');
      return sendClerkError(res, status, {
        message: 'is invalid',
        long_message: status === 413 ? 'The request body is too large.' : 'The request body is not valid JSON.',
        code: status === 413 ? 'request_body_too_large' : 'request_body_invalid',
      });
    }
    next(error);
  };
}

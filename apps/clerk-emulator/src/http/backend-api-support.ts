import { randomBytes } from 'node:crypto';
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { z } from 'zod';
import { EmulatorRequestError } from '../errors';
import type { EmulatorContext } from './context';

/**
 * What every route of the stand-in's Backend API shares: Clerk's answer and error shapes, and
 * the reading of its query parameters and JSON bodies.
 */

/** Clerk's bounds on a page: `limit` 1–500, default 10. */
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 10;

/** One entry of Clerk's error body `{ errors: [...], clerk_trace_id }`. */
export interface ClerkApiError {
  message: string;
  long_message: string;
  code: string;
  meta?: Record<string, unknown>;
}

export class BackendApiError extends Error {
  override name = 'BackendApiError';
  constructor(
    readonly status: number,
    readonly error: ClerkApiError,
  ) {
    super(error.long_message);
  }
}

export const invalidParam = (name: string, longMessage: string) =>
  new BackendApiError(422, { message: 'is invalid', long_message: longMessage, code: 'form_param_value_invalid', meta: { param_name: name } });

export const notFound = () =>
  new BackendApiError(404, { message: 'not found', long_message: 'Resource not found', code: 'resource_not_found' });

/**
 * Clerk answers `Content-Type: application/json` exactly, and `@clerk/backend` parses a body as
 * JSON only when the header is exactly that.
 */
export function sendClerkJson(res: Response, status: number, body: unknown): void {
  // Node's own setHeader: Express's res.set and res.json would append a charset.
  res.setHeader('Content-Type', 'application/json');
  res.status(status).end(JSON.stringify(body));
}

export function sendClerkError(res: Response, status: number, error: ClerkApiError): void {
  sendClerkJson(res, status, { errors: [error], clerk_trace_id: randomBytes(16).toString('hex') });
}

/** A page of a list in Clerk's shape, as `@clerk/backend` reads `{ data, totalCount }` from it. */
export function sendClerkPage(res: Response, data: unknown[], totalCount: number): void {
  sendClerkJson(res, 200, { data, total_count: totalCount });
}

export const queryText = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function integerParam(req: Request, name: string, fallback: number, min: number, max: number): number {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  const text = queryText(raw);
  const value = text !== undefined && /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalidParam(name, `${name} must be a whole number between ${min} and ${max}.`);
  }
  return value;
}

/** `limit` and `offset`, within Clerk's bounds. */
export function pageParams(req: Request): { limit: number; offset: number } {
  return {
    limit: integerParam(req, 'limit', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
    offset: integerParam(req, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
  };
}

/** A parameter that may repeat (`?user_id=a&user_id=b`), as `@clerk/backend` sends an array. */
export function listParam(req: Request, name: string, what: string): string[] | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).filter((value): value is string => typeof value === 'string' && value.length > 0);
  if (values.length === 0) throw invalidParam(name, `${name} must name one or more ${what}.`);
  if (values.length > MAX_PAGE_SIZE) throw invalidParam(name, `${name} may name at most ${MAX_PAGE_SIZE} ${what} per request.`);
  return values;
}

/** `order_by` among `orders` (`-` for descending; `+` or nothing for ascending). */
export function orderParam<Order extends string>(req: Request, orders: readonly Order[], fallback: Order): Order {
  const raw = req.query.order_by;
  if (raw === undefined) return fallback;
  // `+created_at` and `created_at` mean the same; a `+` that arrived unencoded reads as a space.
  const text = queryText(raw)?.replace(/^[+ ]/, '');
  const order = orders.find((candidate) => candidate === text);
  if (!order) throw invalidParam('order_by', `order_by must be one of ${orders.map((o) => o.replace(/^(?!-)/, '+')).join(', ')} in the Clerk stand-in.`);
  return order;
}

/** Refuses query parameters the stand-in does not serve, rather than answering as if they were absent. */
export function onlyParams(req: Request, accepted: readonly string[]): void {
  const unknown = Object.keys(req.query).filter((name) => !accepted.includes(name));
  if (unknown.length > 0) {
    throw invalidParam(unknown[0]!, `The Clerk stand-in does not serve ${unknown.join(', ')} here (it serves ${accepted.join(', ') || 'no parameters'}).`);
  }
}

/** A JSON body validated by `schema`, or Clerk's 422 naming the first problem's field. */
export function parseBackendBody<T>(schema: z.ZodType<T>, body: unknown, describe: string): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.code === 'unrecognized_keys' ? issue.keys[0] : issue?.path[0];
  throw invalidParam(String(field ?? 'body'), `${describe} (${issue?.message ?? 'invalid'}).`);
}

/** Every error in Clerk's shape: the stand-in's own (404, 409 as 422, …), and the body parser's. */
export function backendApiErrors(ctx: EmulatorContext): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof BackendApiError) return sendClerkError(res, error.status, error.error);
    if (error instanceof EmulatorRequestError) {
      if (error.status === 404) return sendClerkError(res, 404, notFound().error);
      return sendClerkError(res, error.status === 409 ? 422 : error.status, {
        message: error.message,
        long_message: error.message,
        code: error.code,
        ...(error.field ? { meta: { param_name: error.field } } : {}),
      });
    }
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

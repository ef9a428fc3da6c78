import { Router, type RequestHandler } from 'express';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import type { Database } from '@expectations/db';
import { appRouter, createInnerContext } from '@expectations/router';
import { sessionAuth, sessionOf } from './auth';
import type { Config } from './config';
import { corsAllowList } from './cors';
import type { Logger } from './logger';

/** The largest input a procedure takes is a 5,000-character expectation; 100 KiB leaves room for batches. */
export const TRPC_MAX_BODY_BYTES = 100 * 1024;
/** Calls per batched request: enough for a page's queries, not a lever to multiply work. */
export const TRPC_MAX_BATCH_SIZE = 10;

export interface TrpcRouteOptions {
  config: Config;
  db: Database;
  log: Logger;
}

/** Answers depend on who asks: no shared cache may keep them. */
const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** `/trpc/*`: CORS for the SPA, the Clerk session, then tRPC (which reads the body itself). */
export function trpcRoute({ config, db, log }: TrpcRouteOptions): Router {
  const route = Router();
  route.use(
    '/trpc',
    corsAllowList(config.WEB_ORIGIN),
    noStore,
    sessionAuth({
      publishableKey: config.CLERK_PUBLISHABLE_KEY,
      secretKey: config.CLERK_SECRET_KEY,
      jwtKey: config.CLERK_JWT_KEY,
      authorizedParties: config.WEB_ORIGIN,
      log,
    }),
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req }) => createInnerContext({ db, log, auth: sessionOf(req) }),
      maxBodySize: TRPC_MAX_BODY_BYTES,
      maxBatchSize: TRPC_MAX_BATCH_SIZE,
      onError: ({ error, path, type }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error.cause ?? error, path, type }, 'trpc procedure failed');
      },
    }),
  );
  return route;
}

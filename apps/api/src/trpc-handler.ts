import type { IncomingMessage, ServerResponse } from 'node:http';
import { getTRPCErrorShape, TRPCError, type AnyTRPCRouter } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { getHTTPStatusCodeFromError, parseConnectionParamsFromString } from '@trpc/server/http';
import type { MutationLimiter, Queries } from '@expectations/db';
import { appRouter, createInnerContext, SIGN_IN_FIRST_MESSAGE } from '@expectations/router';
import { sessionAuth } from './auth';
import type { Config } from './config';
import { corsAllowList } from './cors';
import type { LiveFeed } from './feed/live-feed';
import type { Logger } from './logger';
import { SECURITY_HEADERS, setSecurityHeaders } from './security-headers';
import { createQueryFastPath } from './trpc-query-fast-path';

/** The largest input a procedure takes is a 5,000-character expectation; 100 KiB leaves room for batches. */
export const TRPC_MAX_BODY_BYTES = 100 * 1024;
/** Calls per batched request: enough for a page's queries, not a lever to multiply work. */
export const TRPC_MAX_BATCH_SIZE = 10;
export const TRPC_PREFIX = '/trpc/';

/**
 * `Vary` of every tRPC answer: tRPC's own (its answer depends on `trpc-accept` and `Accept`) and
 * ours (CORS answers depend on `Origin`).
 */
const VARY = 'trpc-accept, accept, Origin';
const varyOnOrigin = new Headers({ Vary: 'Origin' });

export interface TrpcHandlerOptions {
  config: Config;
  queries: Queries;
  mutationLimiter: MutationLimiter;
  log: Logger;
  /** Streams feed.changes; without it that procedure answers an internal error (through tRPC's adapter). */
  liveFeed?: LiveFeed | undefined;
}

/** The router's subscriptions, by path: they stream (SSE) rather than answer. */
const subscriptionPaths: ReadonlySet<string> = new Set(
  Object.entries((appRouter as AnyTRPCRouter)._def.procedures as Record<string, { _def: { type: string } }>)
    .filter(([, procedure]) => procedure._def.type === 'subscription')
    .map(([path]) => path),
);

/** The session token a browser's EventSource sends as tRPC's `connectionParams: { token }`, or null. */
function connectionParamsToken(query: string): string | null {
  const raw = new URLSearchParams(query).get('connectionParams');
  if (raw === null) return null;
  try {
    const token = parseConnectionParamsFromString(raw)?.token;
    return typeof token === 'string' ? token : null;
  } catch {
    return null;
  }
}

/**
 * `/trpc/*` on plain node:http: security headers, CORS for the SPA, the Clerk session, then
 * tRPC's own Node adapter (which reads the body itself). It runs in front of Express because it
 * is the read path: every layer here is paid on every page of the feed.
 */
export function trpcHandler({ config, queries, mutationLimiter, log, liveFeed }: TrpcHandlerOptions) {
  const cors = corsAllowList(config.WEB_ORIGIN);
  const authenticate = sessionAuth({
    secretKey: config.CLERK_SECRET_KEY,
    apiUrl: config.CLERK_API_URL,
    jwtKey: config.CLERK_JWT_KEY,
    authorizedParties: config.WEB_ORIGIN,
    log,
  });

  const exposeInternalErrors = config.NODE_ENV === 'development';
  const onError = ({ error, path, type }: { error: TRPCError; path?: string | undefined; type: string }) => {
    if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error.cause ?? error, path, type }, 'trpc procedure failed');
  };

  // GET queries skip tRPC's adapter, which answers them the same way (TRPC_QUERY_FAST_PATH=off).
  const answerQueries =
    config.TRPC_QUERY_FAST_PATH === 'on' ? createQueryFastPath({ router: appRouter, maxBatchSize: TRPC_MAX_BATCH_SIZE, onError }) : null;
  // Answers depend on who asks: no shared cache may keep them.
  const fastPathHeaders = { ...SECURITY_HEADERS, 'Cache-Control': 'no-store', Vary: VARY };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url!;
    const queryStart = url.indexOf('?');
    const path = url.slice(TRPC_PREFIX.length, queryStart === -1 ? undefined : queryStart);
    const query = queryStart === -1 ? '' : url.slice(queryStart + 1);
    const subscription = req.method === 'GET' && subscriptionPaths.has(path);
    // A preflight carries no credentials; everything else is asked as someone, or as no one.
    const auth = req.method === 'OPTIONS' ? null : await authenticate(req, subscription ? connectionParamsToken(query) : null);
    const createContext = () => createInnerContext({ queries, log, auth, mutationLimiter, exposeInternalErrors, feed: liveFeed?.hub });

    if (subscription) {
      setSecurityHeaders(res);
      cors.answer(req, res);
      res.setHeader('Cache-Control', 'no-store');
      // tRPC's adapter would answer 200 and put the refusal inside the stream: a client with no
      // valid session gets a plain 401 instead, and no stream is opened for it.
      if (!auth) {
        answerError(res, path, new TRPCError({ code: 'UNAUTHORIZED', message: SIGN_IN_FIRST_MESSAGE }));
        return;
      }
      liveFeed?.track(res);
      // tRPC writes a stream only as fast as the socket drains (its pings included, every 10 s):
      // a socket with nothing flowing for this long has a client that stopped reading.
      res.setTimeout(config.FEED_STALL_TIMEOUT_SECONDS * 1000, () => {
        log.info({ path }, 'feed stream closed: its client stopped reading');
        res.destroy();
      });
      if (liveFeed) {
        const lastEventId = req.headers['last-event-id'];
        await liveFeed.streams.answer(res, {
          path,
          query,
          lastEventIdHeader: Array.isArray(lastEventId) ? lastEventId[0] : lastEventId,
          createContext,
          headers: { Vary: VARY },
          // A stream lives no longer than the session token that opened it: the client
          // reconnects with a fresh one and resumes, and a revoked session's stream ends.
          endsAt: auth.expiresAt * 1000,
        });
        return;
      }
    }

    if (answerQueries && req.method === 'GET') {
      const origin = cors.allowedOrigin(req);
      const headers = origin === undefined ? fastPathHeaders : { ...fastPathHeaders, 'Access-Control-Allow-Origin': origin };
      if (await answerQueries(req, res, { path, query, headers, createContext })) return;
    }

    // Everything the fast path declined (it has written nothing): tRPC's own adapter.
    if (!subscription) {
      setSecurityHeaders(res);
      if (cors.answer(req, res)) return;
      res.setHeader('Cache-Control', 'no-store');
    }
    await nodeHTTPRequestHandler({
      req,
      res,
      path,
      router: appRouter,
      createContext,
      maxBodySize: TRPC_MAX_BODY_BYTES,
      maxBatchSize: TRPC_MAX_BATCH_SIZE,
      // tRPC's adapter sets its own Vary, replacing the CORS one: add Origin back.
      responseMeta: () => ({ headers: varyOnOrigin }),
      onError,
    });
  };
}

/** A refusal in tRPC's own error shape and status, as its adapter would answer a query. */
function answerError(res: ServerResponse, path: string, error: TRPCError): void {
  const shape = getTRPCErrorShape({ config: appRouter._def._config, ctx: undefined, error, input: undefined, path, type: 'subscription' });
  res.writeHead(getHTTPStatusCodeFromError(error), { 'Content-Type': 'application/json', Vary: VARY });
  res.end(JSON.stringify({ error: shape }));
}

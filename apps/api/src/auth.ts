import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { clerkMiddleware, createClerkClient, getAuth } from '@clerk/express';
import { isMachineToken } from '@clerk/backend/internal';
import type { SessionAuth } from '@expectations/router';
import type { Logger } from './logger';

/**
 * Session authentication for the API: Clerk session tokens sent as `Authorization: Bearer`,
 * verified by Clerk's SDK (locally, with no network call, when `jwtKey` is set).
 *
 * The rest of the API sees only `sessionOf(req)`: a verified `{ clerkUserId }` or null. A
 * missing, malformed, expired or foreign token is simply "no session"; the procedures answer
 * 401 themselves. Nothing here ever redirects.
 */
export interface SessionAuthOptions {
  publishableKey: string;
  secretKey: string;
  /** PEM public key of the Clerk instance: verify tokens locally. */
  jwtKey?: string;
  /** Origins allowed in a token's `azp` claim (the SPA's origins). */
  authorizedParties: readonly string[];
  log: Logger;
}

const sessions = new WeakMap<IncomingMessage, SessionAuth | null>();

/** The verified session of a request that went through `sessionAuth`, or null. */
export function sessionOf(req: IncomingMessage): SessionAuth | null {
  return sessions.get(req) ?? null;
}

export function sessionAuth(options: SessionAuthOptions): RequestHandler {
  const { publishableKey, secretKey, jwtKey, log } = options;
  const authorizedParties = [...options.authorizedParties];
  // An explicit client: verification depends on the API's configuration, not on process.env.
  // Telemetry off: verifying a token must not make the API call out to a third party.
  const clerkClient = createClerkClient({ publishableKey, secretKey, jwtKey, telemetry: { disabled: true } });
  const verifyWithClerk = clerkMiddleware({ clerkClient, publishableKey, secretKey, jwtKey, authorizedParties });

  return (req, res, next) => {
    const token = bearerTokenOf(req.headers.authorization);
    if (token === null) {
      sessions.set(req, null);
      next();
      return;
    }
    const shown = bearerOnlyView(req, token);
    verifyWithClerk(shown, res, (error?: unknown) => {
      if (error) {
        next(error);
        return;
      }
      const auth = getAuth(shown, { acceptsToken: 'session_token' });
      if (auth.userId) {
        sessions.set(req, { clerkUserId: auth.userId });
      } else {
        sessions.set(req, null);
        log.info({ path: req.path, reason: res.getHeader('x-clerk-auth-reason') }, 'session token rejected');
      }
      next();
    });
  };
}

const jwtShape = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The session token of an `Authorization: Bearer` header, or null. Only JWT-shaped session
 * tokens qualify: Clerk verifies machine tokens (API keys, OAuth and M2M tokens) by calling its
 * API, and this API accepts none of them.
 */
export function bearerTokenOf(header: string | undefined): string | null {
  const match = header?.match(/^Bearer +(\S+)\s*$/i);
  const token = match?.[1];
  if (!token || token.length > 16_384 || !jwtShape.test(token) || isMachineToken(token)) return null;
  return token;
}

/**
 * What Clerk is shown of a request: its method, URL and the bearer token, and nothing else.
 * Without cookies, `Accept` or `Sec-Fetch-*` headers Clerk has no cookie session to refresh and
 * never considers the request a page navigation, so it cannot answer with a handshake redirect.
 */
function bearerOnlyView(req: Request, token: string): Request {
  const headers = { host: req.headers.host ?? 'localhost', authorization: `Bearer ${token}` };
  return Object.create(req, { headers: { value: headers, enumerable: true } }) as Request;
}

import type { IncomingMessage } from 'node:http';
import type { SessionAuth } from '@expectations/router';
import type { Logger } from './logger';
import { createSessionVerifier } from './session-verifier';

/**
 * Session authentication for the API: Clerk session tokens sent as `Authorization: Bearer`,
 * verified by Clerk's SDK (locally, with no network call, when `jwtKey` is set; otherwise with
 * the keys of Clerk's JWKS, fetched at most once per cool-down).
 *
 * The rest of the API sees only a verified `{ clerkUserId }` or null. A
 * missing, malformed, expired or foreign token is simply "no session"; the procedures answer
 * 401 themselves. Cookies are never read, so nothing here can redirect to Clerk's handshake.
 */
export interface SessionAuthOptions {
  secretKey: string;
  /** Clerk's Backend API: where the JWKS comes from when there is no `jwtKey`. */
  apiUrl: string;
  /** PEM public key of the Clerk instance: verify tokens locally. */
  jwtKey?: string;
  /** Origins allowed in a token's `azp` claim (the SPA's origins). */
  authorizedParties: readonly string[];
  log: Logger;
}

/**
 * Verifies the request's `Authorization: Bearer` token or, when there is none, `fallbackToken`:
 * the token a browser's EventSource, which cannot send headers, passes in tRPC's connectionParams.
 */
/** A verified session, and when its token expires (seconds since the epoch). */
export type VerifiedSession = SessionAuth & { expiresAt: number };

export function sessionAuth(options: SessionAuthOptions): (req: IncomingMessage, fallbackToken?: string | null) => Promise<VerifiedSession | null> {
  const { log } = options;
  const { verify } = createSessionVerifier({
    ...options,
    // Signed-in users depend on it (without CLERK_JWT_KEY): say so loudly, without the secret key.
    onJwksRefreshFailed: (error) => log.error({ err: { message: error.message } }, 'session keys could not be fetched from Clerk; keeping the keys held before'),
  });

  return async (req, fallbackToken = null) => {
    const token = bearerTokenOf(req.headers.authorization) ?? (fallbackToken === null ? null : bearerTokenOf(`Bearer ${fallbackToken}`));
    if (token === null) return null;
    const result = await verify(token);
    if (!result.session) {
      log.info({ path: req.url?.split('?')[0], reason: result.reason }, 'session token rejected');
      return null;
    }
    return { ...result.session, expiresAt: result.expiresAt };
  };
}

const jwtShape = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The session token of an `Authorization: Bearer` header, or null: only JWT-shaped tokens
 * qualify (machine tokens are refused by the verifier).
 */
export function bearerTokenOf(header: string | undefined): string | null {
  const match = header?.match(/^Bearer +(\S+)\s*$/i);
  const token = match?.[1];
  if (!token || token.length > 16_384 || !jwtShape.test(token)) return null;
  return token;
}

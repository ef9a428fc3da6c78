// @clerk/express re-exports @clerk/backend's verifier: the same code clerkMiddleware runs per request.
import { verifyToken } from '@clerk/express';
import { isMachineToken } from '@clerk/backend/internal';
import type { SessionAuth } from '@expectations/router';

/** Clerk's own allowance for clocks that disagree, applied again on every cached use. */
const CLOCK_SKEW_SECONDS = 5;

export interface SessionVerifierOptions {
  /** PEM public key of the Clerk instance: verify with no network call. */
  jwtKey?: string;
  /** Without `jwtKey`, Clerk's SDK fetches the instance's JWKS with this key. */
  secretKey: string;
  /** Clerk's Backend API, where that JWKS is fetched (`<apiUrl>/v1/jwks`); Clerk's own by default. */
  apiUrl?: string;
  /** Origins accepted in a token's `azp` claim. */
  authorizedParties: readonly string[];
  /** How many verified tokens to remember (default 10,000; about 1 KiB each). */
  maxCachedTokens?: number;
  /** Seconds since the epoch; for tests. */
  now?: () => number;
}

export type VerificationResult = { session: SessionAuth } | { session: null; reason: string };

interface VerifiedClaims {
  clerkUserId: string;
  exp: number;
  nbf: number | undefined;
  azp: string | undefined;
}

/**
 * Verifies Clerk session tokens with Clerk's SDK (`verifyToken`: RS256 signature, `exp`, `nbf`,
 * `iat`, `azp`), and remembers what a token proved until it expires. A token is immutable, so
 * its signature needs checking once; the time-bound claims and `azp` are checked again on every
 * use. Failures are never cached, and the cache is bounded.
 */
export function createSessionVerifier(options: SessionVerifierOptions) {
  const authorizedParties = [...options.authorizedParties];
  const allowedParties = new Set(authorizedParties);
  const maxCachedTokens = options.maxCachedTokens ?? 10_000;
  const now = options.now ?? (() => Date.now() / 1000);
  const verified = new Map<string, VerifiedClaims>();

  function stillValid(claims: VerifiedClaims): string | null {
    const at = now();
    if (claims.exp + CLOCK_SKEW_SECONDS <= at) return 'token-expired';
    if (claims.nbf !== undefined && claims.nbf - CLOCK_SKEW_SECONDS > at) return 'token-not-active-yet';
    if (allowedParties.size > 0 && (claims.azp === undefined || !allowedParties.has(claims.azp))) {
      return 'token-invalid-authorized-parties';
    }
    return null;
  }

  async function verify(token: string): Promise<VerificationResult> {
    const cached = verified.get(token);
    if (cached) {
      const problem = stillValid(cached);
      if (problem === null) return { session: { clerkUserId: cached.clerkUserId } };
      verified.delete(token);
      return { session: null, reason: problem };
    }

    // Clerk verifies machine tokens (API keys, OAuth and M2M tokens) by calling its API; this API
    // accepts none of them, so they are refused before any work.
    if (isMachineToken(token)) return { session: null, reason: 'machine-token' };
    // Clerk's public verifyToken returns the payload and throws a TokenVerificationError.
    let payload: { sub?: unknown; exp: number; nbf?: number; azp?: unknown };
    try {
      payload = await verifyToken(token, {
        ...(options.jwtKey ? { jwtKey: options.jwtKey } : {}),
        secretKey: options.secretKey,
        ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
        authorizedParties,
        clockSkewInMs: CLOCK_SKEW_SECONDS * 1000,
      });
    } catch (error) {
      const reason = (error as { reason?: unknown }).reason;
      return { session: null, reason: typeof reason === 'string' ? reason : 'token-invalid' };
    }
    const { sub, exp, nbf, azp } = payload;
    if (typeof sub !== 'string' || sub.length === 0) return { session: null, reason: 'token-missing-sub' };

    const claims: VerifiedClaims = { clerkUserId: sub, exp, nbf, azp: typeof azp === 'string' ? azp : undefined };
    if (verified.size >= maxCachedTokens) {
      // Maps iterate in insertion order: drop the oldest entry.
      verified.delete(verified.keys().next().value!);
    }
    verified.set(token, claims);
    return { session: { clerkUserId: sub } };
  }

  return { verify, cachedTokenCount: () => verified.size };
}

export type SessionVerifier = ReturnType<typeof createSessionVerifier>;

// @clerk/express re-exports @clerk/backend's verifier: the same code clerkMiddleware runs per request.
import { verifyToken } from '@clerk/express';
import { isMachineToken } from '@clerk/backend/internal';
import type { SessionAuth } from '@expectations/router';
import { createClerkJwks, type JwksFetchError } from './clerk-jwks';

/** Clerk's own allowance for clocks that disagree, applied again on every cached use. */
const CLOCK_SKEW_SECONDS = 5;
/** Longer than any key id Clerk issues (`ins_…`); a longer one is refused before any lookup. */
const MAX_KID_LENGTH = 128;

export interface SessionVerifierOptions {
  /** PEM public key of the Clerk instance: verify with no network call. */
  jwtKey?: string;
  /** Without `jwtKey`, the instance's JWKS is fetched with this key. */
  secretKey: string;
  /** Clerk's Backend API, where that JWKS is fetched (`<apiUrl>/v1/jwks`); Clerk's own by default. */
  apiUrl?: string;
  /** Origins accepted in a token's `azp` claim. */
  authorizedParties: readonly string[];
  /** How many verified tokens to remember (default 10,000; about 1 KiB each). */
  maxCachedTokens?: number;
  /** Least time between two JWKS fetches (default JWKS_REFRESH_COOLDOWN_MS). */
  jwksRefreshCooldownMs?: number;
  /** A JWKS fetch failed (the keys held before stay in use). */
  onJwksRefreshFailed?: (error: JwksFetchError) => void;
  /** Seconds since the epoch; for tests. */
  now?: () => number;
}

/** A verified session, and when its token expires (seconds since the epoch): what a stream opened with it may outlive no longer. */
export type VerificationResult = { session: SessionAuth; expiresAt: number } | { session: null; reason: string };

interface VerifiedClaims {
  clerkUserId: string;
  activeOrganizationId: string | null;
  exp: number;
  nbf: number | undefined;
  azp: string | undefined;
}

/**
 * Verifies Clerk session tokens with Clerk's SDK (`verifyToken`: RS256 signature, `exp`, `nbf`,
 * `iat`, `azp`), and remembers what a token proved until it expires. A token is immutable, so
 * its signature needs checking once; the time-bound claims and `azp` are checked again on every
 * use. Failures are never cached, and the cache is bounded.
 *
 * Without `jwtKey` the signing keys come from Clerk's JWKS, which this module keeps itself
 * (clerk-jwks.ts) and hands to `verifyToken` as the PEM of the token's `kid`: Clerk's SDK would
 * fetch the JWKS again for every token naming an unknown `kid`, so forged tokens could spend the
 * instance's Backend API budget. A token whose header names no RS256 key is refused before any
 * lookup. A pending session (`sts: "pending"`: signed in, with tasks such as choosing an
 * organization still open) is no session, as Clerk's own `authenticateRequest` treats it.
 */
export function createSessionVerifier(options: SessionVerifierOptions) {
  const authorizedParties = [...options.authorizedParties];
  const allowedParties = new Set(authorizedParties);
  const maxCachedTokens = options.maxCachedTokens ?? 10_000;
  const now = options.now ?? (() => Date.now() / 1000);
  const verified = new Map<string, VerifiedClaims>();
  const jwks = options.jwtKey
    ? null
    : createClerkJwks({
        apiUrl: options.apiUrl ?? 'https://api.clerk.com',
        secretKey: options.secretKey,
        now: () => now() * 1000,
        ...(options.jwksRefreshCooldownMs !== undefined ? { refreshCooldownMs: options.jwksRefreshCooldownMs } : {}),
        ...(options.onJwksRefreshFailed ? { onRefreshFailed: options.onJwksRefreshFailed } : {}),
      });

  /** The PEM to verify `token` with, or why there is none. */
  async function publicKeyOf(token: string): Promise<{ pem: string } | { reason: string }> {
    const kid = rs256KeyIdOf(token);
    if (kid === null) return { reason: 'token-header-invalid' };
    if (!jwks) return { pem: options.jwtKey! };
    const pem = await jwks.publicKeyFor(kid);
    return pem === null ? { reason: 'jwk-kid-mismatch' } : { pem };
  }

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
      if (problem === null) return { session: { clerkUserId: cached.clerkUserId, activeOrganizationId: cached.activeOrganizationId }, expiresAt: cached.exp };
      verified.delete(token);
      return { session: null, reason: problem };
    }

    // Clerk verifies machine tokens (API keys, OAuth and M2M tokens) by calling its API; this API
    // accepts none of them, so they are refused before any work.
    if (isMachineToken(token)) return { session: null, reason: 'machine-token' };
    const key = await publicKeyOf(token);
    if ('reason' in key) return { session: null, reason: key.reason };
    // Clerk's public verifyToken returns the payload and throws a TokenVerificationError.
    let payload: { sub?: unknown; exp: number; nbf?: number; azp?: unknown; sts?: unknown; o?: unknown; org_id?: unknown };
    try {
      payload = await verifyToken(token, { jwtKey: key.pem, authorizedParties, clockSkewInMs: CLOCK_SKEW_SECONDS * 1000 });
    } catch (error) {
      const reason = (error as { reason?: unknown }).reason;
      return { session: null, reason: typeof reason === 'string' ? reason : 'token-invalid' };
    }
    if (payload.sts === 'pending') return { session: null, reason: 'session-pending' };
    const { sub, exp, nbf, azp } = payload;
    if (typeof sub !== 'string' || sub.length === 0) return { session: null, reason: 'token-missing-sub' };

    const activeOrganizationId = activeOrganizationOf(payload);
    if (activeOrganizationId === undefined) return { session: null, reason: 'token-invalid-organization' };

    const claims: VerifiedClaims = { clerkUserId: sub, activeOrganizationId, exp, nbf, azp: typeof azp === 'string' ? azp : undefined };
    if (verified.size >= maxCachedTokens) {
      // Maps iterate in insertion order: drop the oldest entry.
      verified.delete(verified.keys().next().value!);
    }
    verified.set(token, claims);
    return { session: { clerkUserId: sub, activeOrganizationId }, expiresAt: exp };
  }

  return { verify, cachedTokenCount: () => verified.size, jwksFetchCount: () => jwks?.fetchCount() ?? 0 };
}

const clerkOrganizationId = /^org_[A-Za-z0-9]{1,64}$/;

/**
 * The session's active team: v2 tokens carry it as `o.id`, v1 tokens as `org_id`; null when none
 * is active, undefined when the claim is there but is not a Clerk organization id (the token is
 * then refused: a team it names is matched against the mirror, so it must be exactly one).
 */
function activeOrganizationOf(payload: { o?: unknown; org_id?: unknown }): string | null | undefined {
  if (payload.o !== undefined && payload.o !== null) {
    const id = typeof payload.o === 'object' ? (payload.o as { id?: unknown }).id : undefined;
    return typeof id === 'string' && clerkOrganizationId.test(id) ? id : undefined;
  }
  const claim = payload.org_id;
  if (claim === undefined || claim === null) return null;
  return typeof claim === 'string' && clerkOrganizationId.test(claim) ? claim : undefined;
}

/** The `kid` of a token whose header says RS256 and names a key, else null. */
function rs256KeyIdOf(token: string): string | null {
  const encodedHeader = token.slice(0, token.indexOf('.'));
  try {
    const header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8')) as unknown;
    if (typeof header !== 'object' || header === null) return null;
    const { alg, kid } = header as { alg?: unknown; kid?: unknown };
    if (alg !== 'RS256' || typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID_LENGTH) return null;
    return kid;
  } catch {
    return null;
  }
}

export type SessionVerifier = ReturnType<typeof createSessionVerifier>;

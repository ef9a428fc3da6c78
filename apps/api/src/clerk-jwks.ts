import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { z } from 'zod';

/**
 * How long the keys are trusted before they are fetched again in the background (Clerk's own SDK
 * keeps its JWKS 5 minutes).
 */
export const JWKS_MAX_AGE_MS = 5 * 60_000;
/**
 * The least time between two fetches. A token naming a key we do not hold may be a Clerk key
 * rotation or a forgery; either way it may trigger one fetch per this interval, not one per
 * token, so that forged tokens cannot spend the Backend API budget the mirror audit needs.
 */
export const JWKS_REFRESH_COOLDOWN_MS = 30_000;
const FETCH_TIMEOUT_MS = 5_000;

/** A fetch of the JWKS that failed: the message says what to check and never holds the secret key. */
export class JwksFetchError extends Error {
  override name = 'JwksFetchError';
}

const jwksBody = z.object({
  keys: z.array(z.looseObject({ kid: z.string().min(1), kty: z.string(), alg: z.string().optional(), use: z.string().optional() })),
});

export interface ClerkJwksOptions {
  /** Clerk's Backend API base URL, no trailing slash; the JWKS is `<apiUrl>/v1/jwks`. */
  apiUrl: string;
  /** The instance's secret key, sent as Bearer. */
  secretKey: string;
  maxAgeMs?: number;
  refreshCooldownMs?: number;
  /** A refresh failed; the keys held before stay in use. */
  onRefreshFailed?: (error: JwksFetchError) => void;
  /** Milliseconds since the epoch; for tests. */
  now?: () => number;
}

/**
 * Clerk's session-token signing keys, fetched from the Backend API and held as PEM by `kid`.
 * Fetches are single-flight (concurrent misses share one) and at most one per cool-down, however
 * many unknown `kid`s arrive; a failed fetch keeps the keys already held.
 */
export function createClerkJwks(options: ClerkJwksOptions) {
  const maxAgeMs = options.maxAgeMs ?? JWKS_MAX_AGE_MS;
  const cooldownMs = options.refreshCooldownMs ?? JWKS_REFRESH_COOLDOWN_MS;
  const now = options.now ?? Date.now;
  const url = `${options.apiUrl}/v1/jwks`;
  let keys = new Map<string, string>();
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | null = null;
  let fetches = 0;

  function refresh(): Promise<void> {
    if (inFlight) return inFlight;
    if (now() - attemptedAt < cooldownMs) return Promise.resolve();
    attemptedAt = now();
    fetches += 1;
    inFlight = fetchKeys(url, options.secretKey)
      .then(
        (fetched) => {
          keys = fetched;
          fetchedAt = now();
        },
        (error: unknown) => {
          const failure = error instanceof JwksFetchError ? error : new JwksFetchError(`fetching ${url} failed: ${String(error)}`);
          options.onRefreshFailed?.(failure);
        },
      )
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  return {
    /** The PEM of the key `kid` names, or null when Clerk's JWKS holds no such key (as far as we may ask). */
    async publicKeyFor(kid: string): Promise<string | null> {
      const held = keys.get(kid);
      if (held !== undefined) {
        // Old keys keep answering while newer ones are fetched: no request waits on Clerk.
        if (now() - fetchedAt >= maxAgeMs) void refresh();
        return held;
      }
      await refresh();
      return keys.get(kid) ?? null;
    },
    /** Fetches started so far: for tests and metrics. */
    fetchCount: () => fetches,
  };
}

export type ClerkJwks = ReturnType<typeof createClerkJwks>;

async function fetchKeys(url: string, secretKey: string): Promise<Map<string, string>> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${secretKey}`, accept: 'application/json' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : String(cause ?? (error as Error).message);
    throw new JwksFetchError(`could not reach Clerk's JWKS at ${url} (CLERK_API_URL): ${reason}`);
  }
  const text = await response.text();
  if (response.status === 401 || response.status === 403) {
    throw new JwksFetchError(`Clerk refused CLERK_SECRET_KEY fetching ${url} (${response.status}): check the key belongs to this instance`);
  }
  if (!response.ok) throw new JwksFetchError(`Clerk answered ${response.status} fetching ${url}`);
  let body: z.infer<typeof jwksBody>;
  try {
    body = jwksBody.parse(JSON.parse(text));
  } catch {
    throw new JwksFetchError(`${url} did not answer a JWKS ({ "keys": [...] })`);
  }
  const pems = new Map<string, string>();
  for (const jwk of body.keys) {
    if (jwk.kty !== 'RSA' || (jwk.alg !== undefined && jwk.alg !== 'RS256') || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
    try {
      pems.set(jwk.kid, createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString());
    } catch {
      // A key node cannot read verifies nothing; the others still do.
    }
  }
  if (pems.size === 0) throw new JwksFetchError(`${url} holds no RS256 signing key`);
  return pems;
}

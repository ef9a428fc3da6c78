import { displayNameOf, joinName, type IdentityUser } from '../context';

/** The fields of Clerk's user JSON (snake_case `UserJSON`) that the SPA reads. */
export interface ClerkUserJson {
  id: string;
  first_name: string | null;
  last_name: string | null;
  username: string | null;
  image_url: string | null;
  primary_email_address_id: string | null;
  email_addresses: Array<{ id: string; email_address: string }>;
}

/** The stand-in answered in a way the SPA cannot use, or could not be reached. */
export class IdentityServiceError extends Error {
  override name = 'IdentityServiceError';
}

export function identityUserFromClerkJson(json: ClerkUserJson): IdentityUser {
  const firstName = json.first_name || null;
  const lastName = json.last_name || null;
  const fullName = joinName(firstName, lastName);
  const primary = json.email_addresses.find((address) => address.id === json.primary_email_address_id);
  const primaryEmailAddress = primary?.email_address ?? null;
  const username = json.username || null;
  return {
    id: json.id,
    firstName,
    lastName,
    fullName,
    username,
    primaryEmailAddress,
    imageUrl: json.image_url || null,
    displayName: displayNameOf({ fullName, username, primaryEmailAddress }),
  };
}

/** Seconds-since-epoch `exp` of a JWT, without verifying it (the API verifies). */
function expiryOf(jwt: string): number | null {
  const payload = jwt.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : null;
  } catch {
    return null;
  }
}

/** Tokens are reused until this long before they expire, then replaced. */
const TOKEN_REFRESH_MARGIN_MS = 10_000;

export interface StandInClient {
  /** The signed-in user, or null when signed out. */
  me(): Promise<IdentityUser | null>;
  /** A session token for the API, or null when signed out. */
  token(): Promise<string | null>;
  forgetToken(): void;
  signInUrl(returnTo: string): string;
  signUpUrl(returnTo: string): string;
  profileUrl(returnTo: string): string;
  signOutUrl(returnTo: string): string;
}

/**
 * The browser side of the local Clerk stand-in's contract: its session is a cookie on its own
 * origin, so every call is a credentialed cross-origin fetch.
 */
export function createStandInClient(baseUrl: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): StandInClient {
  let cached: { jwt: string; refreshAt: number } | null = null;
  let pending: Promise<string | null> | null = null;

  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetchImpl(`${baseUrl}${path}`, { ...init, credentials: 'include' });
    } catch {
      throw new IdentityServiceError(`The sign-in service at ${baseUrl} could not be reached. Is it running?`);
    }
  }

  async function fetchToken(): Promise<string | null> {
    const response = await call('/v1/tokens', { method: 'POST' });
    if (response.status === 401) {
      cached = null;
      return null;
    }
    if (!response.ok) {
      throw new IdentityServiceError(`The sign-in service refused a session token (HTTP ${response.status}).`);
    }
    const { jwt } = (await response.json()) as { jwt?: unknown };
    if (typeof jwt !== 'string') throw new IdentityServiceError('The sign-in service answered without a session token.');
    const exp = expiryOf(jwt);
    cached = exp === null ? null : { jwt, refreshAt: exp * 1000 - TOKEN_REFRESH_MARGIN_MS };
    return jwt;
  }

  const pageUrl = (path: string, returnTo: string) => `${baseUrl}${path}?redirect_url=${encodeURIComponent(returnTo)}`;

  return {
    async me() {
      const response = await call('/v1/me');
      if (!response.ok) throw new IdentityServiceError(`The sign-in service could not say who is signed in (HTTP ${response.status}).`);
      const { user } = (await response.json()) as { user: ClerkUserJson | null };
      return user ? identityUserFromClerkJson(user) : null;
    },
    token() {
      if (cached && Date.now() < cached.refreshAt) return Promise.resolve(cached.jwt);
      // Concurrent callers (a batch of queries) share one request.
      pending ??= fetchToken().finally(() => {
        pending = null;
      });
      return pending;
    },
    forgetToken() {
      cached = null;
    },
    signInUrl: (returnTo) => pageUrl('/sign-in', returnTo),
    signUpUrl: (returnTo) => pageUrl('/sign-up', returnTo),
    profileUrl: (returnTo) => pageUrl('/user', returnTo),
    signOutUrl: (returnTo) => pageUrl('/sign-out', returnTo),
  };
}

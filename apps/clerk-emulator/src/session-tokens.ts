import { sign } from 'node:crypto';
import type { ClerkOrganizationMembershipJson, OrganizationRoleKey } from './clerk-json';
import type { InstanceIdentity } from './instance';

/** Clerk's session tokens live about a minute; its SDKs refresh them before each use. */
export const SESSION_TOKEN_LIFETIME_SECONDS = 60;
/** Clerk back-dates `nbf` to absorb small clock differences between its servers and yours. */
const NOT_BEFORE_LEEWAY_SECONDS = 10;
/** `fva`'s second entry when no second factor was ever verified, as Clerk writes it. */
const NO_SECOND_FACTOR = -1;

/** The active organization in a v2 token: its id, slug and the member's role without `org:`. */
export interface OrganizationClaim {
  id: string;
  slg: string;
  rol: string;
}

/** Clerk's session token claims, version 2. */
export interface SessionTokenClaims {
  azp?: string;
  exp: number;
  /** Minutes since the first and the second factor were verified (-1: never). */
  fva: [number, number];
  iat: number;
  iss: string;
  nbf: number;
  /** The active organization, when there is one. */
  o?: OrganizationClaim;
  sid: string;
  /** `pending` would mean tasks are still open; the stand-in's sessions have none. */
  sts: 'active';
  sub: string;
  v: 2;
}

/** The membership that makes an organization the session's active one. */
export interface ActiveOrganization {
  id: string;
  slug: string;
  role: OrganizationRoleKey;
}

export interface SessionTokenRequest {
  userId: string;
  sessionId: string;
  /** The origin the token was issued to (the SPA). */
  authorizedParty?: string;
  /** The stand-in's base URL, as Clerk puts its Frontend API URL. */
  issuer: string;
  /** Default SESSION_TOKEN_LIFETIME_SECONDS. */
  lifetimeSeconds?: number;
  /** When the session's first factor was verified (sign-in), epoch ms; default `now`. */
  firstFactorVerifiedAt?: number;
  organization?: ActiveOrganization;
  now?: number;
}

/** The organization a membership makes active. */
export function activeOrganizationOf(membership: ClerkOrganizationMembershipJson): ActiveOrganization {
  return { id: membership.organization.id, slug: membership.organization.slug, role: membership.role };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** The `o` claim: Clerk leaves the `org:` prefix out of the role, and system permissions out of the token. */
export function organizationClaim(organization: ActiveOrganization): OrganizationClaim {
  return { id: organization.id, slg: organization.slug, rol: organization.role.replace(/^org:/, '') };
}

/** An RS256 JWT with Clerk's v2 session claims, signed by the instance key; `kid` names the instance. */
export function signSessionToken(identity: InstanceIdentity, request: SessionTokenRequest): string {
  const now = request.now ?? Date.now();
  const iat = Math.floor(now / 1000);
  const verifiedMinutesAgo = Math.max(0, Math.floor((now - (request.firstFactorVerifiedAt ?? now)) / 60_000));
  const claims: SessionTokenClaims = {
    ...(request.authorizedParty ? { azp: request.authorizedParty } : {}),
    exp: iat + (request.lifetimeSeconds ?? SESSION_TOKEN_LIFETIME_SECONDS),
    fva: [verifiedMinutesAgo, NO_SECOND_FACTOR],
    iat,
    iss: request.issuer,
    nbf: iat - NOT_BEFORE_LEEWAY_SECONDS,
    ...(request.organization ? { o: organizationClaim(request.organization) } : {}),
    sid: request.sessionId,
    sts: 'active',
    sub: request.userId,
    v: 2,
  };
  const header = { alg: 'RS256', kid: identity.instanceId, typ: 'JWT' };
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), identity.jwtPrivateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

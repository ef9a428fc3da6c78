import { sign } from 'node:crypto';
import type { InstanceIdentity } from './instance';

/** Clerk's session tokens live about a minute; its SDKs refresh them before each use. */
export const SESSION_TOKEN_LIFETIME_SECONDS = 60;
/** Clerk back-dates `nbf` to absorb small clock differences between its servers and yours. */
const NOT_BEFORE_LEEWAY_SECONDS = 10;

export interface SessionTokenClaims {
  azp?: string;
  exp: number;
  iat: number;
  iss: string;
  nbf: number;
  sid: string;
  sub: string;
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
  now?: number;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** An RS256 JWT with Clerk's session claims, signed by the instance key; `kid` names the instance. */
export function signSessionToken(identity: InstanceIdentity, request: SessionTokenRequest): string {
  const iat = Math.floor((request.now ?? Date.now()) / 1000);
  const claims: SessionTokenClaims = {
    ...(request.authorizedParty ? { azp: request.authorizedParty } : {}),
    exp: iat + (request.lifetimeSeconds ?? SESSION_TOKEN_LIFETIME_SECONDS),
    iat,
    iss: request.issuer,
    nbf: iat - NOT_BEFORE_LEEWAY_SECONDS,
    sid: request.sessionId,
    sub: request.userId,
  };
  const header = { alg: 'RS256', kid: identity.instanceId, typ: 'JWT' };
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), identity.jwtPrivateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

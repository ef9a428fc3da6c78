import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * Clerk-style session tokens for tests: RS256 JWTs signed with an RSA-2048 key generated here,
 * verified by the API exactly as Clerk's are (its public key as `CLERK_JWT_KEY`).
 */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** SPKI PEM: the value for `CLERK_JWT_KEY`. */
  publicKeyPem: string;
}

/** A fresh RSA-2048 key pair (e = 65537), the kind Clerk signs session tokens with. */
export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  return {
    kid: `ins_${randomBytes(12).toString('hex')}`,
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export const TEST_ISSUER = 'https://local.clerk.accounts.dev';

/** Clerk's session-token claims (times in seconds since the epoch), all overridable. */
export interface SessionClaims {
  sub: string;
  sid?: string;
  azp?: string;
  iss?: string;
  iat?: number;
  nbf?: number;
  exp?: number;
  [claim: string]: unknown;
}

export interface MintOptions {
  /** Seconds since the epoch the token is issued at (default: now). */
  now?: number;
  /** Lifetime in seconds (default 60, as Clerk's). */
  ttlSeconds?: number;
  /** Header fields to override or add, e.g. `{ alg: 'none' }`. */
  header?: Record<string, unknown>;
  /** Claims to leave out entirely (e.g. `['sub']`). */
  omit?: string[];
}

/**
 * A signed session token for `claims.sub`, shaped like Clerk's: header
 * `{ alg: 'RS256', typ: 'JWT', kid }`, claims `sub`, `sid`, `azp`, `iss`, `iat`, `nbf`, `exp`.
 */
export function mintSessionToken(key: SigningKey, claims: SessionClaims, options: MintOptions = {}): string {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid: key.kid, ...options.header };
  const payload: Record<string, unknown> = {
    sid: `sess_${randomBytes(12).toString('hex')}`,
    iss: TEST_ISSUER,
    iat: now,
    // Clerk back-dates nbf a little to absorb clock differences between servers.
    nbf: now - 10,
    exp: now + (options.ttlSeconds ?? 60),
    ...claims,
  };
  for (const claim of options.omit ?? []) delete payload[claim];

  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(signingInput), key.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

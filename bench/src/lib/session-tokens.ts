import { createSign, randomUUID } from 'node:crypto';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** An RS256 session token with Clerk's claims, as Clerk (or the local stand-in) issues them. */
export function mintSessionToken(privateKeyPem: string, claims: { sub: string; azp: string; ttlSeconds: number }): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'ins_bench' }));
  const payload = base64url(
    JSON.stringify({
      sub: claims.sub,
      sid: `sess_${randomUUID().replaceAll('-', '')}`,
      azp: claims.azp,
      iss: 'https://local.clerk.accounts.dev',
      iat: now,
      nbf: now - 5,
      exp: now + claims.ttlSeconds,
    }),
  );
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKeyPem);
  return `${header}.${payload}.${base64url(signature)}`;
}

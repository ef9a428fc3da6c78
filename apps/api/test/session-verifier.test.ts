import { createPublicKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionVerifier } from '../src/session-verifier';
import { createSigningKey, mintSessionToken } from '../testing/session-tokens';

const origin = 'http://127.0.0.1:5173';
const key = createSigningKey();

function verifierAt(clock: { now: number }, maxCachedTokens?: number) {
  return createSessionVerifier({
    jwtKey: key.publicKeyPem,
    secretKey: 'sk_test_unused',
    authorizedParties: [origin],
    now: () => clock.now,
    ...(maxCachedTokens ? { maxCachedTokens } : {}),
  });
}

describe('the per-token cache of verified claims', () => {
  it('remembers a verified token, and re-checks its expiry on every use', async () => {
    const clock = { now: Date.now() / 1000 };
    const { verify, cachedTokenCount } = verifierAt(clock);
    const token = mintSessionToken(key, { sub: 'user_cached', azp: origin }, { ttlSeconds: 60 });

    expect(await verify(token)).toEqual({ session: { clerkUserId: 'user_cached' } });
    expect(cachedTokenCount()).toBe(1);
    expect(await verify(token)).toEqual({ session: { clerkUserId: 'user_cached' } });

    clock.now += 60 + 6; // past exp and the 5 s of allowed skew
    expect(await verify(token)).toEqual({ session: null, reason: 'token-expired' });
    expect(cachedTokenCount()).toBe(0);
  });

  it('never caches a failure', async () => {
    const { verify, cachedTokenCount } = verifierAt({ now: Date.now() / 1000 });
    const foreign = mintSessionToken(key, { sub: 'user_foreign', azp: 'https://evil.example' });
    expect(await verify(foreign)).toMatchObject({ session: null, reason: 'token-invalid-authorized-parties' });
    expect(await verify(foreign)).toMatchObject({ session: null });
    const tampered = `${mintSessionToken(key, { sub: 'user_a', azp: origin }).slice(0, -4)}AAAA`;
    expect(await verify(tampered)).toMatchObject({ session: null });
    expect(cachedTokenCount()).toBe(0);
  });

  it('refuses machine tokens before any work (Clerk would verify them by calling its API)', async () => {
    const { verify } = verifierAt({ now: Date.now() / 1000 });
    expect(await verify('mt_abc.def.ghi')).toEqual({ session: null, reason: 'machine-token' });
  });

  it('refuses a token without azp when authorized parties are configured', async () => {
    const { verify } = verifierAt({ now: Date.now() / 1000 });
    const token = mintSessionToken(key, { sub: 'user_noazp' }, { omit: ['azp'] });
    expect(await verify(token)).toMatchObject({ session: null, reason: 'token-invalid-authorized-parties' });
  });

  it('stays bounded, dropping the oldest entries first', async () => {
    const { verify, cachedTokenCount } = verifierAt({ now: Date.now() / 1000 }, 3);
    const tokens = ['a', 'b', 'c', 'd', 'e'].map((name) => mintSessionToken(key, { sub: `user_${name}`, azp: origin }));
    for (const token of tokens) await verify(token);
    expect(cachedTokenCount()).toBe(3);
    // An evicted token still verifies: the cache only saves work.
    expect(await verify(tokens[0]!)).toEqual({ session: { clerkUserId: 'user_a' } });
  });
});

describe('without CLERK_JWT_KEY', () => {
  const secretKey = 'sk_test_jwks';
  const jwksRequests: { path: string | undefined; authorization: string | undefined }[] = [];
  let server: Server;
  let apiUrl: string;

  // Clerk's Backend API as far as the SDK's JWKS fetch goes: GET /v1/jwks with the secret key.
  beforeAll(async () => {
    const jwk = { ...createPublicKey(key.publicKeyPem).export({ format: 'jwk' }), kid: key.kid, alg: 'RS256', use: 'sig' };
    server = createServer((req, res) => {
      jwksRequests.push({ path: req.url, authorization: req.headers.authorization });
      const authorized = req.headers.authorization === `Bearer ${secretKey}`;
      res.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(authorized ? { keys: [jwk] } : { errors: [{ code: 'authentication_invalid', message: 'invalid secret key' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches the JWKS from CLERK_API_URL with the secret key, once for many tokens', async () => {
    const { verify } = createSessionVerifier({ secretKey, apiUrl, authorizedParties: [origin] });
    expect(await verify(mintSessionToken(key, { sub: 'user_jwks_a', azp: origin }))).toEqual({ session: { clerkUserId: 'user_jwks_a' } });
    expect(await verify(mintSessionToken(key, { sub: 'user_jwks_b', azp: origin }))).toEqual({ session: { clerkUserId: 'user_jwks_b' } });
    expect(jwksRequests).toEqual([{ path: '/v1/jwks', authorization: `Bearer ${secretKey}` }]);
  });

  it('refuses a token whose key the JWKS does not hold', async () => {
    const { verify } = createSessionVerifier({ secretKey, apiUrl, authorizedParties: [origin] });
    const stranger = createSigningKey();
    expect(await verify(mintSessionToken(stranger, { sub: 'user_stranger', azp: origin }))).toMatchObject({ session: null, reason: 'jwk-kid-mismatch' });
    const forged = mintSessionToken({ ...stranger, kid: key.kid }, { sub: 'user_forged', azp: origin });
    expect(await verify(forged)).toMatchObject({ session: null });
  });
});

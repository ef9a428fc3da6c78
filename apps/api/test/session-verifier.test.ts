import { createPublicKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSessionVerifier, type SessionVerifierOptions } from '../src/session-verifier';
import { createSigningKey, mintSessionToken, type SigningKey } from '../testing/session-tokens';

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

    expect(await verify(token)).toEqual({ session: { clerkUserId: 'user_cached', activeOrganizationId: null }, expiresAt: expect.any(Number) });
    expect(cachedTokenCount()).toBe(1);
    expect(await verify(token)).toEqual({ session: { clerkUserId: 'user_cached', activeOrganizationId: null }, expiresAt: expect.any(Number) });

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
    expect(await verify(tokens[0]!)).toEqual({ session: { clerkUserId: 'user_a', activeOrganizationId: null }, expiresAt: expect.any(Number) });
  });
});

describe('pending sessions', () => {
  it('are no session, as Clerk’s authenticateRequest treats them; an active one is', async () => {
    const { verify, cachedTokenCount } = verifierAt({ now: Date.now() / 1000 });
    const pending = mintSessionToken(key, { sub: 'user_pending', azp: origin, v: 2, sts: 'pending' });
    expect(await verify(pending)).toEqual({ session: null, reason: 'session-pending' });
    expect(await verify(pending)).toEqual({ session: null, reason: 'session-pending' });
    const active = mintSessionToken(key, { sub: 'user_active', azp: origin, v: 2, sts: 'active' });
    expect(await verify(active)).toEqual({ session: { clerkUserId: 'user_active', activeOrganizationId: null }, expiresAt: expect.any(Number) });
    expect(cachedTokenCount()).toBe(1);
  });
});

describe('the active team', () => {
  it('comes from a v2 token’s o.id or a v1 token’s org_id, is remembered with the token, and is null when none is active', async () => {
    const { verify } = verifierAt({ now: Date.now() / 1000 });
    const team = 'org_2abcDEF123';
    const v2 = mintSessionToken(key, { sub: 'user_v2', azp: origin, v: 2, sts: 'active', o: { id: team, rol: 'admin', slg: 'acme' } });
    const v1 = mintSessionToken(key, { sub: 'user_v1', azp: origin, org_id: team, org_role: 'org:admin' });
    for (const token of [v2, v2, v1]) expect((await verify(token)).session?.activeOrganizationId).toBe(team);
    expect((await verify(mintSessionToken(key, { sub: 'user_none', azp: origin, v: 2, o: null }))).session?.activeOrganizationId).toBeNull();
  });

  it('refuses the whole token when its team claim is not a Clerk organization id', async () => {
    const { verify, cachedTokenCount } = verifierAt({ now: Date.now() / 1000 });
    for (const claims of [{ o: { id: 'acme' } }, { o: { id: 7 } }, { o: {} }, { o: 'org_2abc' }, { org_id: 'org_' }, { org_id: `org_${'a'.repeat(65)}` }, { org_id: 'org_a-b' }]) {
      const token = mintSessionToken(key, { sub: 'user_forged', azp: origin, ...claims });
      expect(await verify(token), JSON.stringify(claims)).toEqual({ session: null, reason: 'token-invalid-organization' });
    }
    expect(cachedTokenCount()).toBe(0);
  });
});

describe('tokens whose header names no RS256 key', () => {
  it('are refused before any verification', async () => {
    const { verify } = verifierAt({ now: Date.now() / 1000 });
    const claims = { sub: 'user_header', azp: origin };
    for (const header of [{ kid: undefined }, { kid: '' }, { kid: 42 }, { kid: 'k'.repeat(129) }, { alg: 'HS256' }, { alg: 'none' }]) {
      expect(await verify(mintSessionToken(key, claims, { header })), JSON.stringify(header)).toEqual({ session: null, reason: 'token-header-invalid' });
    }
    expect(await verify(`${Buffer.from('[1]').toString('base64url')}.e30.c2ln`)).toEqual({ session: null, reason: 'token-header-invalid' });
  });
});

/** Clerk's Backend API as far as the JWKS goes: GET /v1/jwks with the secret key, counted. */
async function startJwksServer(secretKey: string) {
  const requests: { path: string | undefined; authorization: string | undefined }[] = [];
  const served = { keys: [key], status: 200 };
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url, authorization: req.headers.authorization });
    const authorized = req.headers.authorization === `Bearer ${secretKey}`;
    const status = authorized ? served.status : 401;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(status === 200 ? { keys: served.keys.map(jwkOf) } : { errors: [{ code: 'authentication_invalid', message: 'invalid secret key' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    served,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function jwkOf(signingKey: SigningKey) {
  return { ...createPublicKey(signingKey.publicKeyPem).export({ format: 'jwk' }), kid: signingKey.kid, alg: 'RS256', use: 'sig' };
}

/** A token signed by a key of the attacker's, naming a key id nobody issued. */
const forgedKey = createSigningKey();
const forgery = (n: number) => mintSessionToken({ ...forgedKey, kid: `ins_forged_${n}_${Math.random().toString(36).slice(2)}` }, { sub: `user_forged_${n}`, azp: origin });

describe('without CLERK_JWT_KEY', () => {
  const secretKey = 'sk_test_jwks';
  let jwksServer: Awaited<ReturnType<typeof startJwksServer>>;

  beforeEach(async () => {
    jwksServer = await startJwksServer(secretKey);
  });
  afterEach(() => jwksServer.close());

  function jwksVerifier(clock = { now: Date.now() / 1000 }, overrides: Partial<SessionVerifierOptions> = {}) {
    return createSessionVerifier({ secretKey, apiUrl: jwksServer.url, authorizedParties: [origin], now: () => clock.now, ...overrides });
  }

  it('fetches the JWKS from CLERK_API_URL with the secret key, once for many tokens', async () => {
    const { verify } = jwksVerifier();
    expect(await verify(mintSessionToken(key, { sub: 'user_jwks_a', azp: origin }))).toEqual({ session: { clerkUserId: 'user_jwks_a', activeOrganizationId: null }, expiresAt: expect.any(Number) });
    expect(await verify(mintSessionToken(key, { sub: 'user_jwks_b', azp: origin }))).toEqual({ session: { clerkUserId: 'user_jwks_b', activeOrganizationId: null }, expiresAt: expect.any(Number) });
    expect(jwksServer.requests).toEqual([{ path: '/v1/jwks', authorization: `Bearer ${secretKey}` }]);
  });

  it('refuses a token whose key the JWKS does not hold, and one that names a held key but is signed by another', async () => {
    const { verify } = jwksVerifier();
    const stranger = createSigningKey();
    expect(await verify(mintSessionToken(stranger, { sub: 'user_stranger', azp: origin }))).toEqual({ session: null, reason: 'jwk-kid-mismatch' });
    const forged = mintSessionToken({ ...stranger, kid: key.kid }, { sub: 'user_forged', azp: origin });
    expect(await verify(forged)).toMatchObject({ session: null });
    expect(await verify(mintSessionToken(key, { sub: 'user_real', azp: origin }))).toEqual({ session: { clerkUserId: 'user_real', activeOrganizationId: null }, expiresAt: expect.any(Number) });
  });

  it('fetches once for 1,000 forged tokens with random key ids, at once or one after another, and still verifies real ones', async () => {
    const { verify, jwksFetchCount } = jwksVerifier();
    const genuine = mintSessionToken(key, { sub: 'user_genuine', azp: origin });
    const together = await Promise.all([...Array.from({ length: 500 }, (_, n) => verify(forgery(n))), verify(genuine)]);
    expect(together.at(-1)).toEqual({ session: { clerkUserId: 'user_genuine', activeOrganizationId: null }, expiresAt: expect.any(Number) });
    for (const result of together.slice(0, -1)) expect(result).toEqual({ session: null, reason: 'jwk-kid-mismatch' });
    for (let n = 500; n < 1000; n++) expect(await verify(forgery(n))).toEqual({ session: null, reason: 'jwk-kid-mismatch' });
    expect(jwksServer.requests).toHaveLength(1);
    expect(jwksFetchCount()).toBe(1);
  });

  it('asks again for an unknown key id only after the cool-down, so a rotated key is picked up', async () => {
    const clock = { now: Date.now() / 1000 };
    const { verify } = jwksVerifier(clock, { jwksRefreshCooldownMs: 30_000 });
    expect(await verify(mintSessionToken(key, { sub: 'user_before', azp: origin }))).toMatchObject({ session: { clerkUserId: 'user_before', activeOrganizationId: null } });

    // Clerk rotates: tokens now name a key the API has not seen.
    const rotated = createSigningKey();
    jwksServer.served.keys = [key, rotated];
    const afterRotation = () => mintSessionToken(rotated, { sub: 'user_after', azp: origin });
    clock.now += 29;
    expect(await verify(afterRotation())).toEqual({ session: null, reason: 'jwk-kid-mismatch' });
    expect(jwksServer.requests).toHaveLength(1);
    clock.now += 1;
    expect(await verify(afterRotation())).toEqual({ session: { clerkUserId: 'user_after', activeOrganizationId: null }, expiresAt: expect.any(Number) });
    expect(jwksServer.requests).toHaveLength(2);
    expect(await verify(forgery(1))).toMatchObject({ session: null });
    expect(jwksServer.requests).toHaveLength(2);
  });

  it('refreshes held keys after 5 minutes without making a request wait, and drops keys Clerk no longer lists', async () => {
    const clock = { now: Date.now() / 1000 };
    const { verify } = jwksVerifier(clock);
    expect(await verify(mintSessionToken(key, { sub: 'user_a', azp: origin }))).toMatchObject({ session: { clerkUserId: 'user_a', activeOrganizationId: null } });
    const replacement = createSigningKey();
    jwksServer.served.keys = [replacement];
    clock.now += 5 * 60;
    // Answered with the key held; the refresh runs beside it.
    const during = await verify(mintSessionToken(key, { sub: 'user_b', azp: origin }));
    expect(during).toEqual({ session: { clerkUserId: 'user_b', activeOrganizationId: null }, expiresAt: expect.any(Number) });
    await vi.waitUntil(() => jwksServer.requests.length === 2, { timeout: 10_000 });
    await vi.waitUntil(async () => (await verify(mintSessionToken(key, { sub: 'user_c', azp: origin }))).session === null, { timeout: 10_000 });
    expect(await verify(mintSessionToken(replacement, { sub: 'user_d', azp: origin }))).toEqual({ session: { clerkUserId: 'user_d', activeOrganizationId: null }, expiresAt: expect.any(Number) });
    expect(jwksServer.requests).toHaveLength(2);
  });

  it('with a refused secret key, tries once per cool-down, reports why without the key, and refuses the tokens', async () => {
    const failures: string[] = [];
    const { verify } = jwksVerifier(undefined, { secretKey: 'sk_test_wrong_key', onJwksRefreshFailed: (error) => failures.push(error.message) });
    const results = await Promise.all(Array.from({ length: 200 }, () => verify(mintSessionToken(key, { sub: 'user_x', azp: origin }))));
    for (const result of results) expect(result).toEqual({ session: null, reason: 'jwk-kid-mismatch' });
    expect(jwksServer.requests).toHaveLength(1);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/Clerk refused CLERK_SECRET_KEY .*\(401\)/);
    expect(failures[0]).not.toContain('sk_test_wrong_key');
  });

  it('with an unreachable CLERK_API_URL, tries once per cool-down and says where it looked', async () => {
    const failures: string[] = [];
    await jwksServer.close();
    const { verify } = jwksVerifier(undefined, { onJwksRefreshFailed: (error) => failures.push(error.message) });
    for (let n = 0; n < 50; n++) expect(await verify(forgery(n))).toMatchObject({ session: null });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(`could not reach Clerk's JWKS at ${jwksServer.url}/v1/jwks (CLERK_API_URL): ECONNREFUSED`);
    jwksServer = await startJwksServer(secretKey); // for afterEach
  });
});

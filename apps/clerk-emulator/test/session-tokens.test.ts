import { createClerkClient, verifyToken } from '@clerk/backend';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningClerkEmulator } from '../src/index';
import { admin, createUser, SPA_ORIGIN, startTestEmulator, tempDir } from './helpers';

const dir = tempDir();
let emulator: RunningClerkEmulator;
let userId: string;

beforeAll(async () => {
  emulator = await startTestEmulator({ dataDir: dir.path });
  userId = (await createUser(emulator, { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org' })).id;
});
afterAll(async () => {
  await emulator.close();
  dir.remove();
});

const decode = (segment: string | undefined) => JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

async function sessionToken(body: Record<string, unknown>): Promise<string> {
  const { status, body: answer } = await admin<{ jwt: string }>(emulator, 'POST', '/admin/sessions', body);
  expect(status).toBe(200);
  return answer.jwt;
}

describe('session tokens', () => {
  it('carry Clerk claims and verify with the published key, with no network call', async () => {
    const jwt = await sessionToken({ user_id: userId, azp: SPA_ORIGIN });
    const claims = await verifyToken(jwt, { jwtKey: emulator.config.jwtPublicKeyPem, authorizedParties: [SPA_ORIGIN] });

    expect(claims.sub).toBe(userId);
    expect(claims.sid).toMatch(/^sess_[0-9A-Za-z]{27}$/);
    expect(claims.azp).toBe(SPA_ORIGIN);
    expect(claims.iss).toBe(emulator.url);
    expect(claims.exp - claims.iat).toBe(60);
    expect(claims.nbf).toBeLessThanOrEqual(claims.iat);
    expect(Math.abs(claims.iat * 1000 - Date.now())).toBeLessThan(60_000);
    // Clerk's version 2: the session is active, its first factor verified minutes ago, no second factor.
    expect(claims).toMatchObject({ v: 2, sts: 'active', fva: [0, -1] });
    expect(claims).not.toHaveProperty('o');

    const header = decode(jwt.split('.')[0]);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(header.kid).toMatch(/^ins_[0-9A-Za-z]{27}$/);
  });

  it('verify without the public key too, through the Backend API’s JWKS fetched with the secret key', async () => {
    const jwt = await sessionToken({ user_id: userId, azp: SPA_ORIGIN });
    const claims = await verifyToken(jwt, { secretKey: emulator.config.secretKey, apiUrl: emulator.url, authorizedParties: [SPA_ORIGIN] });
    expect(claims.sub).toBe(userId);

    const unauthorized = await fetch(`${emulator.url}/v1/jwks`, { headers: { authorization: 'Bearer sk_test_wrong' } });
    expect(unauthorized.status).toBe(401);
    const { keys } = (await (await fetch(`${emulator.url}/v1/jwks`, { headers: { authorization: `Bearer ${emulator.config.secretKey}` } })).json()) as { keys: Record<string, unknown>[] };
    expect(keys).toEqual([{ kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: decode(jwt.split('.')[0]).kid, alg: 'RS256', use: 'sig' }]);
  });

  it('are accepted by authenticateRequest configured with the stand-in’s publishable key, as @clerk/express does', async () => {
    const jwt = await sessionToken({ user_id: userId, azp: SPA_ORIGIN });
    const clerk = createClerkClient({
      secretKey: 'sk_test_local_stand_in',
      publishableKey: emulator.config.publishableKey,
      jwtKey: emulator.config.jwtPublicKeyPem,
      // No telemetry: tests make no call off this machine.
      telemetry: { disabled: true },
    });
    const request = new Request('http://127.0.0.1:3001/trpc/expectations.list', { headers: { authorization: `Bearer ${jwt}` } });
    const state = await clerk.authenticateRequest(request, { authorizedParties: [SPA_ORIGIN] });
    expect(state.isAuthenticated).toBe(true);
    expect(state.toAuth()).toMatchObject({ userId });
  });

  it('with org_id, carry the o claim of the user’s membership, which Clerk’s SDK reads as the active organization', async () => {
    const organization = (
      await admin<{ id: string; slug: string }>(emulator, 'POST', '/admin/organizations', { name: 'Token Team', created_by: userId })
    ).body;
    const jwt = await sessionToken({ user_id: userId, org_id: organization.id });
    const claims = await verifyToken(jwt, { jwtKey: emulator.config.jwtPublicKeyPem, authorizedParties: [SPA_ORIGIN] });
    // The role without its org: prefix; no permissions (system permissions never go in a token).
    expect(claims.o).toEqual({ id: organization.id, slg: 'token-team', rol: 'admin' });
    expect(claims).toMatchObject({ v: 2, sts: 'active', sub: userId });

    const clerk = createClerkClient({ secretKey: 'sk_test_local_stand_in', publishableKey: emulator.config.publishableKey, jwtKey: emulator.config.jwtPublicKeyPem, telemetry: { disabled: true } });
    const request = new Request('http://127.0.0.1:3001/trpc/expectations.list', { headers: { authorization: `Bearer ${jwt}` } });
    const auth = (await clerk.authenticateRequest(request, { authorizedParties: [SPA_ORIGIN] })).toAuth();
    expect(auth).toMatchObject({ userId, orgId: organization.id, orgSlug: 'token-team', orgRole: 'org:admin', sessionStatus: 'active', factorVerificationAge: [0, -1] });
    expect(auth?.has({ role: 'org:admin' })).toBe(true);

    const member = (await createUser(emulator, { first_name: 'Grace', last_name: 'Hopper', email_address: 'grace@example.org' })).id;
    await admin(emulator, 'POST', `/admin/organizations/${organization.id}/memberships`, { user_id: member, role: 'org:member' });
    const memberClaims = await verifyToken(await sessionToken({ user_id: member, org_id: organization.id }), { jwtKey: emulator.config.jwtPublicKeyPem });
    expect(memberClaims.o).toEqual({ id: organization.id, slg: 'token-team', rol: 'member' });
  });

  it('are not issued for an organization the user is not a member of, or one that does not exist', async () => {
    const organization = (await admin<{ id: string }>(emulator, 'POST', '/admin/organizations', { name: 'Closed', created_by: userId })).body;
    const outsider = (await createUser(emulator, { first_name: 'Out', last_name: 'Sider', email_address: 'outsider@example.org' })).id;
    const notMember = await admin<{ error: string; message: string }>(emulator, 'POST', '/admin/sessions', { user_id: outsider, org_id: organization.id });
    expect(notMember.status).toBe(400);
    expect(notMember.body.message).toContain('not a member');
    const unknown = await admin<{ error: string }>(emulator, 'POST', '/admin/sessions', { user_id: userId, org_id: 'org_2xxxxxxxxxxxxxxxxxxxxxxxxxx' });
    expect(unknown.status).toBe(404);
    const malformed = await admin<{ message: string }>(emulator, 'POST', '/admin/sessions', { user_id: userId, org_id: 7 });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toContain('org_id');
  });

  it('are refused for another authorized party and under another key', async () => {
    const jwt = await sessionToken({ user_id: userId, azp: SPA_ORIGIN });
    await expect(verifyToken(jwt, { jwtKey: emulator.config.jwtPublicKeyPem, authorizedParties: ['https://elsewhere.example'] })).rejects.toThrow();

    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    await expect(verifyToken(jwt, { jwtKey: otherKey.publicKey })).rejects.toThrow();
  });

  it('name the first allowed origin as azp when a script names none', async () => {
    const jwt = await sessionToken({ user_id: userId });
    const claims = await verifyToken(jwt, { jwtKey: emulator.config.jwtPublicKeyPem, authorizedParties: [SPA_ORIGIN] });
    expect(claims.azp).toBe(SPA_ORIGIN);
    expect(claims.sub).toBe(userId);
  });

  it('are not issued for unknown users or malformed requests', async () => {
    expect((await admin(emulator, 'POST', '/admin/sessions', { user_id: 'user_2xxxxxxxxxxxxxxxxxxxxxxxxxx' })).status).toBe(404);
    const missing = await admin<{ message: string }>(emulator, 'POST', '/admin/sessions', {});
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('user_id');
    const badAzp = await admin<{ message: string }>(emulator, 'POST', '/admin/sessions', { user_id: userId, azp: 'http://localhost:5173/path' });
    expect(badAzp.status).toBe(400);
    expect(badAzp.body.message).toContain('azp');
  });

  it('use the same key after a restart, and a fresh key in a fresh data folder', async () => {
    const restartDir = tempDir();
    try {
      const first = await startTestEmulator({ dataDir: restartDir.path });
      const config = first.config;
      await first.close();
      const second = await startTestEmulator({ dataDir: restartDir.path });
      expect(second.config).toEqual(config);
      expect((await admin(second, 'GET', '/admin/config')).body).toEqual(config);
      await second.close();
    } finally {
      restartDir.remove();
    }
    expect(emulator.config.jwtPublicKeyPem).not.toBe('');
    expect(emulator.config.webhookSigningSecret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    expect(emulator.config.publishableKey).toMatch(/^pk_test_/);
  });
});

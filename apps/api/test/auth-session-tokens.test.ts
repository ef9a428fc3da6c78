import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerTokenOf } from '../src/auth';
import { createSigningKey, mintSessionToken } from '../testing/session-tokens';
import { dataOf, errorCodeOf, startTrpcApi, WEB_ORIGIN, type TrpcApi } from './support/trpc-http';

let t: TrpcApi;
let member: Awaited<ReturnType<TrpcApi['member']>>;
beforeAll(async () => {
  t = await startTrpcApi();
  member = await t.member({ firstName: 'Ada', lastName: 'Lovelace' });
});
afterAll(async () => {
  await t.stop();
});

const now = () => Math.floor(Date.now() / 1000);

/** Asserts a plain 401 UNAUTHORIZED from tRPC: never a redirect, never a Clerk handshake. */
function expectUnauthorized(response: Awaited<ReturnType<TrpcApi['call']>>) {
  expect(response.status).toBe(401);
  expect(response.headers.get('location')).toBeNull();
  expect(errorCodeOf(response.body)).toBe('UNAUTHORIZED');
}

describe('session tokens on /trpc', () => {
  it('a valid RS256 token verified with CLERK_JWT_KEY → 200 as that user', async () => {
    const response = await t.call('users.ensureExists', { token: member.token });
    expect(response.status).toBe(200);
    expect(dataOf(response.body)).toEqual({ id: member.id });
  });

  it('no token → 401', async () => {
    expectUnauthorized(await t.call('users.ensureExists'));
    expectUnauthorized(await t.call('expectations.create', { method: 'POST', input: { title: 'x' } }));
  });

  it('an expired token → 401', async () => {
    const expired = t.token({ sub: member.clerkId }, { now: now() - 120, ttlSeconds: 60 });
    expectUnauthorized(await t.call('users.ensureExists', { token: expired }));
  });

  it('a token that is not valid yet (nbf in the future) → 401', async () => {
    const early = t.token({ sub: member.clerkId, nbf: now() + 120, iat: now() + 120, exp: now() + 180 });
    expectUnauthorized(await t.call('users.ensureExists', { token: early }));
  });

  it('a token signed with another key → 401', async () => {
    const forged = mintSessionToken(createSigningKey(), { sub: member.clerkId, azp: WEB_ORIGIN });
    expectUnauthorized(await t.call('users.ensureExists', { token: forged }));
  });

  it('a token for another origin (wrong azp) → 401', async () => {
    const foreign = t.token({ sub: member.clerkId, azp: 'https://evil.example' });
    expectUnauthorized(await t.call('users.ensureExists', { token: foreign }));
  });

  it('a tampered payload (signature no longer matches) → 401', async () => {
    const other = await t.member();
    const [header, , signature] = member.token.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: other.clerkId, azp: WEB_ORIGIN, iat: now(), nbf: now() - 10, exp: now() + 60 })).toString('base64url');
    expectUnauthorized(await t.call('users.ensureExists', { token: `${header}.${payload}.${signature}` }));
  });

  it('unsigned or symmetric-key tokens → 401', async () => {
    const [, payload] = member.token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    expectUnauthorized(await t.call('users.ensureExists', { token: none }));
    const hs256 = t.token({ sub: member.clerkId }, { header: { alg: 'HS256' } });
    expectUnauthorized(await t.call('users.ensureExists', { token: hs256 }));
  });

  it('a pending session (a v2 token with sts "pending": tasks still open) → 401, as Clerk treats it as signed out', async () => {
    expectUnauthorized(await t.call('users.ensureExists', { token: t.token({ sub: member.clerkId, v: 2, sts: 'pending' }) }));
    const active = await t.call('users.ensureExists', { token: t.token({ sub: member.clerkId, v: 2, sts: 'active' }) });
    expect(active.status).toBe(200);
    const logged = t.logs.find((entry) => entry.msg === 'session token rejected' && entry.reason === 'session-pending');
    expect(logged).toBeDefined();
  });

  it('a token without sub → 401', async () => {
    expectUnauthorized(await t.call('users.ensureExists', { token: t.token({ sub: member.clerkId }, { omit: ['sub'] }) }));
  });

  it('garbage, machine-token-like and non-Bearer credentials → 401', async () => {
    for (const authorization of ['Bearer', 'Bearer not-a-jwt', 'Bearer ak_live_0123456789', 'Bearer mt_0123456789abc', `Basic ${Buffer.from('a:b').toString('base64')}`, `Token ${member.token}`]) {
      expectUnauthorized(await t.call('users.ensureExists', { headers: { authorization } }));
    }
  });

  it('ignores cookies: a session cookie alone is no session, and never triggers a redirect', async () => {
    const navigation = {
      cookie: `__session=${member.token}; __client_uat=${now()}`,
      accept: 'text/html,application/xhtml+xml',
      'sec-fetch-dest': 'document',
      'sec-fetch-mode': 'navigate',
    };
    expectUnauthorized(await t.call('users.ensureExists', { headers: navigation }));
    // An expired bearer token on what looks like a page load is where Clerk would otherwise redirect.
    const expired = t.token({ sub: member.clerkId }, { now: now() - 120 });
    expectUnauthorized(await t.call('users.ensureExists', { token: expired, headers: navigation }));
    // With a valid bearer token the cookie changes nothing either.
    const response = await t.call('users.ensureExists', { token: member.token, headers: navigation });
    expect(response.status).toBe(200);
  });

  it('a valid token for a user whose webhook has not landed → 412 PRECONDITION_FAILED, logged with the Clerk id', async () => {
    const clerkId = 'user_2noMirrorRowYet0000000000';
    const response = await t.call('users.ensureExists', { token: t.token({ sub: clerkId }) });
    expect(response.status).toBe(412);
    expect(errorCodeOf(response.body)).toBe('PRECONDITION_FAILED');
    const logged = t.logs.find((entry) => entry.level === 50 && entry.clerkUserId === clerkId);
    expect(logged?.msg).toMatch(/webhook has probably not arrived yet or failed/);
  });
});

describe('bearerTokenOf', () => {
  it('accepts only a JWT-shaped token after "Bearer"', () => {
    expect(bearerTokenOf(`Bearer ${member.token}`)).toBe(member.token);
    expect(bearerTokenOf(`bearer ${member.token}`)).toBe(member.token);
    expect(bearerTokenOf(undefined)).toBeNull();
    expect(bearerTokenOf('Bearer a.b')).toBeNull();
    expect(bearerTokenOf(`Bearer ${member.token} extra`)).toBeNull();
  });
});

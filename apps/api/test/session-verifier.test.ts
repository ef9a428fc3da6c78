import { describe, expect, it } from 'vitest';
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

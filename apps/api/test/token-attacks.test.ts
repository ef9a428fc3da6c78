import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSigningKey, mintSessionToken } from '../testing/session-tokens';
import { errorCodeOf, startTrpcApi, WEB_ORIGIN, type TrpcApi } from './support/trpc-http';

/**
 * Tokens an attacker can make without Clerk's private key. Every one must be "no session" (401),
 * and none may be mistaken for the member they name.
 */
let t: TrpcApi;
let member: Awaited<ReturnType<TrpcApi['member']>>;

beforeAll(async () => {
  t = await startTrpcApi();
  member = await t.member({ firstName: 'Target' });
});
afterAll(() => t.stop());

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claimsFor = (sub: string) => ({ sub, azp: WEB_ORIGIN, iat: now(), nbf: now() - 10, exp: now() + 60, sid: 'sess_x' });

const attacks: Array<[string, () => string]> = [
  ['alg "none" with no signature', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claimsFor(member.clerkId))}.`],
  [
    'HS256 signed with the public key as the HMAC secret (algorithm confusion)',
    () => {
      const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: t.key.kid })}.${b64(claimsFor(member.clerkId))}`;
      return `${input}.${createHmac('sha256', t.key.publicKeyPem).update(input).digest('base64url')}`;
    },
  ],
  ['no exp claim', () => t.token({ sub: member.clerkId }, { omit: ['exp'] })],
  ['nbf an hour in the future', () => t.token({ sub: member.clerkId, nbf: now() + 3600 })],
  ['iat an hour in the future', () => t.token({ sub: member.clerkId, iat: now() + 3600, nbf: now() - 10 })],
  ['an azp of another site', () => t.token({ sub: member.clerkId, azp: 'https://evil.example' })],
  ['no azp at all', () => t.token({ sub: member.clerkId }, { omit: ['azp'] })],
  ['signed by a different RSA key', () => mintSessionToken(createSigningKey(), { sub: member.clerkId, azp: WEB_ORIGIN })],
  ['a header that is not JSON', () => `${b64('{not json')}.${b64(claimsFor(member.clerkId))}.${b64('sig')}`],
  ['a header that is not base64url', () => `%%%.${b64(claimsFor(member.clerkId))}.${b64('sig')}`],
  ['claims swapped into a genuine token (sub changed, signature kept)', () => {
    const [header, , signature] = t.token({ sub: 'user_someoneelse' }).split('.');
    return `${header}.${b64(claimsFor(member.clerkId))}.${signature}`;
  }],
  ['an expired token', () => t.token({ sub: member.clerkId }, { now: now() - 3600 })],
];

it.each(attacks)('refuses %s with 401', async (_name, forge) => {
  const response = await t.call('users.ensureExists', { token: forge() });
  expect(response.status).toBe(401);
  expect(errorCodeOf(response.body)).toBe('UNAUTHORIZED');
  expect(response.headers.get('location')).toBeNull();
});

it('still accepts the genuine token, so the refusals above are about the forgery', async () => {
  const response = await t.call('users.ensureExists', { token: member.token });
  expect(response.status).toBe(200);
});

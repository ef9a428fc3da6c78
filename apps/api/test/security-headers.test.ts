import { afterAll, beforeAll, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../src/security-headers';
import { startTrpcApi, type TrpcApi } from './support/trpc-http';

let t: TrpcApi;
beforeAll(async () => {
  t = await startTrpcApi();
});
afterAll(() => t.stop());

it('are helmet’s headers for a JSON API, nothing that concerns HTML pages', () => {
  expect(SECURITY_HEADERS).toEqual({
    'Content-Security-Policy': "default-src 'none';frame-ancestors 'none'",
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-site',
    'Referrer-Policy': 'no-referrer',
    'Strict-Transport-Security': 'max-age=15552000; includeSubDomains',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  });
});

it('are the same on every route: the read path’s fast answers, tRPC’s adapter and Express', async () => {
  const member = await t.member();
  const answers = [
    await fetch(`${t.api.url}/trpc/users.list`, { headers: { authorization: `Bearer ${member.token}` } }),
    await fetch(`${t.api.url}/trpc/expectations.create`, { method: 'POST', headers: { authorization: `Bearer ${member.token}` } }),
    await fetch(`${t.api.url}/healthz`),
    await fetch(`${t.api.url}/api/webhooks/clerk`, { method: 'POST', body: '{}' }),
  ];
  expect(answers.map((answer) => answer.status)).toEqual([200, 415, 200, 400]);
  for (const answer of answers) {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(answer.headers.get(name)).toBe(value);
    expect(answer.headers.get('x-powered-by')).toBeNull();
  }
});

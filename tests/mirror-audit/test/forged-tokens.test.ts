import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSigningKey, JWKS_REFRESH_COOLDOWN_MS, mintSessionToken } from '@expectations/api/testing';
import { startCountingProxy } from '../src/counting-proxy';
import { noDrift, Stack, type AuditJson } from '../src/stack';

/**
 * The API without CLERK_JWT_KEY fetches Clerk's JWKS with the secret key, from the Backend API
 * whose budget (100 requests per 10 s on a development instance) the mirror audit needs too.
 * Tokens naming key ids nobody issued must not spend it.
 */
const FORGED_TOKENS = 1000;
const WEB_ORIGIN = 'http://localhost:5173';

let stack: Stack;
let backendApi: Awaited<ReturnType<typeof startCountingProxy>>;
let userId: string;
// Made before any request: generating an RSA key blocks the event loop for seconds on a busy
// machine, long enough for the API to close the kept-alive socket that fetch then reuses (ECONNRESET).
const forger = createSigningKey();

beforeAll(async () => {
  stack = await Stack.start({ bapiRateLimit: 100 });
  backendApi = await startCountingProxy(stack.clerk.url);
  await stack.startApi({ CLERK_JWT_KEY: '', CLERK_API_URL: backendApi.url });
  userId = (await stack.createUser(1)).id;
  await stack.until('the user to reach the mirror', () => stack.clerk.webhookStats().delivered === 1);
});
afterAll(async () => {
  await stack.stop();
  await backendApi.close();
});

async function ensureExists(token: string): Promise<number> {
  const response = await fetch(`${stack.api!.url}/trpc/users.ensureExists`, { headers: { authorization: `Bearer ${token}`, origin: WEB_ORIGIN } });
  await response.arrayBuffer();
  return response.status;
}

it(`${FORGED_TOKENS} forged tokens with random key ids cause at most one JWKS fetch per cool-down, and leave the audit its budget`, async () => {
  const { jwt } = await stack.admin<{ jwt: string }>('POST', '/admin/sessions', { user_id: userId });
  expect(await ensureExists(jwt)).toBe(200);
  expect(backendApi.requests).toEqual([{ method: 'GET', path: '/v1/jwks', status: 200 }]);

  const started = Date.now();
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let n = next++; n < FORGED_TOKENS; n = next++) {
        const kid = `ins_${Math.random().toString(36).slice(2)}${n}`;
        statuses.push(await ensureExists(mintSessionToken({ ...forger, kid }, { sub: `user_forged${n}`, azp: WEB_ORIGIN })));
      }
    }),
  );
  const elapsedMs = Date.now() - started;
  expect(statuses.filter((status) => status === 401)).toHaveLength(FORGED_TOKENS);
  // The first fetch happened before the flood; each cool-down that passed during it allows one more.
  const jwksFetches = backendApi.requests.filter((request) => request.path === '/v1/jwks');
  expect(jwksFetches.length).toBeLessThanOrEqual(1 + Math.ceil(elapsedMs / JWKS_REFRESH_COOLDOWN_MS));
  expect(backendApi.requests.every((request) => request.status === 200)).toBe(true);
  // The genuine session still works.
  expect(await ensureExists(jwt)).toBe(200);

  // The audit, through the same Backend API, finds its budget there: no 429 at all.
  const before = backendApi.requests.length;
  const run = await stack.audit(['--json'], { CLERK_API_URL: backendApi.url });
  expect(run.code, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout) as AuditJson).toEqual(noDrift({ users: 1 }));
  const auditRequests = backendApi.requests.slice(before);
  expect(auditRequests.length).toBeGreaterThan(0);
  expect(auditRequests.filter((request) => request.status === 429)).toEqual([]);
});

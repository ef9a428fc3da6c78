import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClerkEmulator, type RunningClerkEmulator } from '@expectations/clerk-emulator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStandInClient } from '../../src/identity/standin/client';

const SPA_ORIGIN = 'http://spa.test';
let dir: string;
let emulator: RunningClerkEmulator;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'web-stand-in-'));
  emulator = await startClerkEmulator({ dataDir: dir, allowedOrigins: [SPA_ORIGIN] });
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What a browser tab on the SPA's origin does: keeps the stand-in's cookie and sends its Origin. */
function browserTab() {
  let cookie: string | null = null;
  const requests: string[] = [];
  const fetchFromSpa: typeof fetch = async (resource, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('origin', SPA_ORIGIN);
    if (cookie && init.credentials === 'include') headers.set('cookie', cookie);
    requests.push(`${init.method ?? 'GET'} ${new URL(String(resource)).pathname}`);
    return fetch(resource, { ...init, headers });
  };
  async function signUp(firstName: string, lastName: string) {
    const response = await fetch(`${emulator.url}/sign-up`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: emulator.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ first_name: firstName, last_name: lastName, email_address: `${firstName.toLowerCase()}@example.test`, redirect_url: `${SPA_ORIGIN}/` }),
    });
    expect(response.status).toBe(303);
    cookie = response.headers.get('set-cookie')?.split(';')[0] ?? null;
  }
  return { fetchFromSpa, signUp, requests };
}

it('reads who is signed in and gets session tokens for the API, reusing a token until it nears expiry', async () => {
  const tab = browserTab();
  const client = createStandInClient(emulator.url, tab.fetchFromSpa);

  await expect(client.me()).resolves.toBeNull();
  await expect(client.token()).resolves.toBeNull();

  await tab.signUp('Nora', 'Newcomer');
  const user = await client.me();
  expect(user).toMatchObject({
    firstName: 'Nora',
    lastName: 'Newcomer',
    fullName: 'Nora Newcomer',
    displayName: 'Nora Newcomer',
    primaryEmailAddress: 'nora@example.test',
  });
  expect(user?.id).toMatch(/^user_/);
  expect(user?.imageUrl).toBe(`${emulator.url}/avatars/${user?.id}.svg`);

  const [first, concurrent] = await Promise.all([client.token(), client.token()]);
  const again = await client.token();
  expect(first).toBe(concurrent);
  expect(again).toBe(first);
  expect(tab.requests.filter((request) => request === 'POST /v1/tokens')).toHaveLength(2); // one signed out, one shared
  const claims = JSON.parse(Buffer.from((first ?? '').split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  expect(claims).toMatchObject({ sub: user?.id, azp: SPA_ORIGIN });
});

it('links to the stand-in’s pages with a way back that the stand-in accepts', async () => {
  const client = createStandInClient(emulator.url);
  const returnTo = `${SPA_ORIGIN}/expectations/12?show=mine`;
  for (const url of [client.signInUrl(returnTo), client.signUpUrl(returnTo)]) {
    expect(new URL(url).searchParams.get('redirect_url')).toBe(returnTo);
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status, url).toBe(200);
  }
  // Nobody to sign out: straight back.
  const signOut = await fetch(client.signOutUrl(returnTo), { redirect: 'manual' });
  expect(signOut.headers.get('location')).toBe(returnTo);
  // Signed out, the profile page sends people to sign in first, keeping the way back.
  const profile = await fetch(client.profileUrl(returnTo), { redirect: 'manual' });
  expect(profile.status).toBe(303);
  const signIn = new URL(profile.headers.get('location') ?? '', emulator.url);
  expect(signIn.pathname).toBe('/sign-in');
  const afterSignIn = new URL(signIn.searchParams.get('redirect_url') ?? '');
  expect(afterSignIn.pathname).toBe('/user');
  expect(afterSignIn.searchParams.get('redirect_url')).toBe(returnTo);
});

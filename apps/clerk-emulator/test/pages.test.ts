import { verifyToken } from '@clerk/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClerkUserJson, RunningClerkEmulator } from '../src/index';
import { primaryEmailOf, SESSION_COOKIE } from '../src/index';
import { admin, createUser, SPA_ORIGIN, startTestEmulator, tempDir } from './helpers';

const dir = tempDir();
let emulator: RunningClerkEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({ dataDir: dir.path });
});
afterAll(async () => {
  await emulator.close();
  dir.remove();
});

const APP = `${SPA_ORIGIN}/expectations`;

/** A form post as a browser on the stand-in's own page sends it. */
async function postForm(path: string, fields: Record<string, string>, options: { cookie?: string; origin?: string | null } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (options.origin !== null) headers.origin = options.origin ?? emulator.url;
  if (options.cookie) headers.cookie = options.cookie;
  return fetch(`${emulator.url}${path}`, { method: 'POST', headers, body: new URLSearchParams(fields), redirect: 'manual' });
}

function sessionCookieFrom(response: Response): string {
  const header = response.headers.get('set-cookie') ?? '';
  expect(header).toContain(`${SESSION_COOKIE}=`);
  expect(header).toContain('HttpOnly');
  expect(header).toContain('SameSite=Lax');
  expect(header).toContain('Path=/');
  return header.split(';')[0] ?? '';
}

async function me(cookie?: string): Promise<ClerkUserJson | null> {
  const response = await fetch(`${emulator.url}/v1/me`, { headers: { origin: SPA_ORIGIN, ...(cookie ? { cookie } : {}) } });
  expect(response.status).toBe(200);
  expect(response.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
  expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  expect(response.headers.get('vary')).toContain('Origin');
  return ((await response.json()) as { user: ClerkUserJson | null }).user;
}

describe('account pages and the browser endpoints', () => {
  it('sign-up creates the user, signs in and redirects back to the app', async () => {
    const response = await postForm('/sign-up', { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org', redirect_url: APP });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(APP);
    const cookie = sessionCookieFrom(response);

    const user = await me(cookie);
    expect(user).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace' });
    expect(primaryEmailOf(user!)).toBe('ada@example.org');
    expect(await me()).toBeNull();

    const tokenResponse = await fetch(`${emulator.url}/v1/tokens`, { method: 'POST', headers: { origin: SPA_ORIGIN, cookie } });
    expect(tokenResponse.status).toBe(200);
    expect(tokenResponse.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
    const { jwt } = (await tokenResponse.json()) as { jwt: string };
    const claims = await verifyToken(jwt, { jwtKey: emulator.config.jwtPublicKeyPem, authorizedParties: [SPA_ORIGIN] });
    expect(claims).toMatchObject({ sub: user!.id, azp: SPA_ORIGIN, iss: emulator.url });
  });

  it('sign-up shows what is wrong, keeping what was typed', async () => {
    const response = await postForm('/sign-up', { first_name: '', last_name: 'Lovelace', email_address: 'not-an-email', redirect_url: APP });
    expect(response.status).toBe(422);
    const page = await response.text();
    expect(page).toContain('Enter your first name.');
    expect(page).toContain('Email address must be an email address');
    expect(page).toContain('value="not-an-email"');
    expect(page).toMatch(/id="first_name"[^>]*aria-invalid="true"/);
  });

  it('tokens: 401 when signed out, 403 for an origin not allowed, and preflight answered', async () => {
    const signedOut = await fetch(`${emulator.url}/v1/tokens`, { method: 'POST', headers: { origin: SPA_ORIGIN } });
    expect(signedOut.status).toBe(401);
    expect(await signedOut.json()).toMatchObject({ error: 'signed_out' });

    const foreign = await fetch(`${emulator.url}/v1/tokens`, { method: 'POST', headers: { origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

    const preflight = await fetch(`${emulator.url}/v1/tokens`, {
      method: 'OPTIONS',
      headers: { origin: SPA_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');

    const foreignMe = await fetch(`${emulator.url}/v1/me`, { headers: { origin: 'http://evil.example' } });
    expect(foreignMe.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sign-in lists accounts with every user text escaped, and picking one signs in', async () => {
    const user = await createUser(emulator, { first_name: '<script>alert(1)</script>', last_name: '"quoted" & \'single\'', email_address: 'mallory@example.org' });
    const page = await (await fetch(`${emulator.url}/sign-in?redirect_url=${encodeURIComponent(APP)}`)).text();
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;');
    expect(page).toContain(`value="${user.id}"`);

    const avatar = await (await fetch(user.image_url)).text();
    expect(avatar).not.toContain('<script');

    const response = await postForm('/sign-in', { user_id: user.id, redirect_url: APP });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(APP);
    expect((await me(sessionCookieFrom(response)))?.id).toBe(user.id);

    const unknown = await postForm('/sign-in', { user_id: 'user_2xxxxxxxxxxxxxxxxxxxxxxxxxx', redirect_url: APP });
    expect(unknown.status).toBe(422);
  });

  it('refuses redirects to origins that are not allowed, and defaults to the first allowed origin', async () => {
    for (const target of ['http://evil.example/', 'javascript:alert(1)', '//evil.example/', 'not a url']) {
      const response = await fetch(`${emulator.url}/sign-in?redirect_url=${encodeURIComponent(target)}`);
      expect(response.status, target).toBe(400);
    }
    const user = await createUser(emulator, { first_name: 'Default', last_name: 'Redirect', email_address: 'default@example.org' });
    const response = await postForm('/sign-in', { user_id: user.id });
    expect(response.headers.get('location')).toBe(`${SPA_ORIGIN}/`);
    const evil = await postForm('/sign-in', { user_id: user.id, redirect_url: 'http://evil.example/' });
    expect(evil.status).toBe(400);
    expect(evil.headers.get('set-cookie')).toBeNull();
  });

  it('refuses form posts that do not come from the stand-in’s own pages', async () => {
    const user = await createUser(emulator, { first_name: 'Csrf', last_name: 'Target', email_address: 'csrf@example.org' });
    for (const origin of ['http://evil.example', SPA_ORIGIN, 'null', null]) {
      const response = await postForm('/sign-in', { user_id: user.id, redirect_url: APP }, { origin });
      expect(response.status, String(origin)).toBe(403);
      expect(response.headers.get('set-cookie')).toBeNull();
    }
  });

  it('the profile page needs a session, saves changes and redirects back', async () => {
    const target = `${emulator.url}/user?redirect_url=${encodeURIComponent(APP)}`;
    const anonymous = await fetch(target, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    const signInUrl = new URL(anonymous.headers.get('location') ?? '', emulator.url);
    expect(signInUrl.pathname).toBe('/sign-in');
    expect(signInUrl.searchParams.get('redirect_url')).toBe(target);
    // The sign-in page accepts the stand-in's own profile page as where to go next.
    expect((await fetch(signInUrl)).status).toBe(200);

    const user = await createUser(emulator, { first_name: 'Grace', last_name: 'Hopper', email_address: 'grace@example.org' });
    const cookie = sessionCookieFrom(await postForm('/sign-in', { user_id: user.id, redirect_url: APP }));
    const page = await (await fetch(target, { headers: { cookie } })).text();
    expect(page).toContain('value="Grace"');
    for (const label of ['First name', 'Last name', 'Username', 'Avatar URL', 'Primary email address']) expect(page).toContain(label);

    const saved = await postForm(
      '/user',
      { _action: 'save', first_name: 'Grace B.', last_name: 'Hopper', username: 'amazing_grace', image_url: '', email_address: 'admiral@example.org', redirect_url: APP },
      { cookie },
    );
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(APP);
    const updated = await me(cookie);
    expect(updated).toMatchObject({ first_name: 'Grace B.', username: 'amazing_grace', has_image: false });
    expect(primaryEmailOf(updated!)).toBe('admiral@example.org');
    expect(updated!.updated_at).toBeGreaterThan(user.updated_at);

    const invalid = await postForm('/user', { _action: 'save', first_name: 'G', last_name: '', username: 'x', image_url: 'ftp://x', email_address: 'admiral@example.org', redirect_url: APP }, { cookie });
    expect(invalid.status).toBe(422);
    const invalidPage = await invalid.text();
    expect(invalidPage).toContain('Username must be');
    expect(invalidPage).toContain('Avatar URL must be');
  });

  it('deleting the account from the profile page needs confirmation, then ends the session', async () => {
    const user = await createUser(emulator, { first_name: 'Short', last_name: 'Lived', email_address: 'short@example.org' });
    const cookie = sessionCookieFrom(await postForm('/sign-in', { user_id: user.id, redirect_url: APP }));
    const unconfirmed = await postForm('/user', { _action: 'delete', redirect_url: APP }, { cookie });
    expect(unconfirmed.status).toBe(422);
    expect(await me(cookie)).not.toBeNull();

    const confirmed = await postForm('/user', { _action: 'delete', confirm_delete: 'yes', redirect_url: APP }, { cookie });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(APP);
    expect(await me(cookie)).toBeNull();
    expect((await admin(emulator, 'GET', `/admin/users/${user.id}`)).status).toBe(404);
  });

  it('sign-out asks for confirmation, then ends the session and redirects', async () => {
    const user = await createUser(emulator, { first_name: 'Signing', last_name: 'Out', email_address: 'out@example.org' });
    const cookie = sessionCookieFrom(await postForm('/sign-in', { user_id: user.id, redirect_url: APP }));
    const confirm = await fetch(`${emulator.url}/sign-out?redirect_url=${encodeURIComponent(APP)}`, { headers: { cookie } });
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('<button type="submit" autofocus>Sign out</button>');

    const response = await postForm('/sign-out', { redirect_url: APP }, { cookie });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(APP);
    expect(response.headers.get('set-cookie')).toContain('Max-Age=0');
    expect(await me(cookie)).toBeNull();

    const again = await fetch(`${emulator.url}/sign-out?redirect_url=${encodeURIComponent(APP)}`, { headers: { cookie }, redirect: 'manual' });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(APP);
  });
});

import { join } from 'node:path';
import { verifyToken } from '@clerk/backend';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_CODE, type RunningClerkEmulator } from '../src/index';
import { STORE_FILE_NAME } from '../src/store';
import { admin, openBrowser, SPA_ORIGIN, startTestEmulator, startWebhookReceiver, tempDir, waitFor, type Answer, type WebhookReceiver } from './helpers';

/**
 * The Frontend API as clerk-js calls it: form-encoded bodies, non-GET methods as POST with
 * `_method`, the browser named by `__clerk_db_jwt`, answers in Clerk's `{ response, client }`
 * envelope and errors in Clerk's `{ errors: [...] }` shape. The browser end to end, through
 * Clerk's own components, is apps/web's end-to-end test.
 */

const dir = tempDir();
let emulator: RunningClerkEmulator;
let receiver: WebhookReceiver;

const newBrowser = () => openBrowser(emulator);

const errorOf = (answer: Answer) => answer.body.errors?.[0];

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  emulator = await startTestEmulator({ dataDir: dir.path, webhookUrl: receiver.url, sessionTokenLifetimeSeconds: 25 });
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
  dir.remove();
});

const eventsFor = (userId: string) =>
  receiver.received.map((delivery) => JSON.parse(delivery.body) as { type: string; data: { id: string; first_name?: string } }).filter((event) => event.data.id === userId);

describe('the Frontend API', () => {
  it('serves the environment (also to PATCH, as clerk-js fetches it) with what the stand-in does not serve turned off', async () => {
    const browser = await newBrowser();
    const viaGet = await browser.call('GET', '/environment');
    const viaPatch = await browser.call('PATCH', '/environment');
    expect(viaPatch.body).toEqual(viaGet.body);
    const settings = viaGet.body.user_settings as { attributes: Record<string, { enabled: boolean; immutable?: boolean }>; social: object };
    expect(settings.attributes.email_address).toMatchObject({ enabled: true, immutable: true });
    for (const off of ['phone_number', 'passkey', 'web3_wallet', 'authenticator_app', 'backup_code']) expect(settings.attributes[off]?.enabled).toBe(false);
    expect(settings.social).toEqual({});
    expect(viaGet.body.organization_settings).toMatchObject({ enabled: true, domains: { enabled: false } });
    expect(viaGet.body.display_config).toMatchObject({ instance_environment_type: 'development', show_devmode_warning: false, branded: false });
  });

  it('knows each browser by its dev browser token, and refuses a request without one as Clerk does', async () => {
    const browser = await newBrowser();
    const client = await browser.call('GET', '/client');
    expect(client.status).toBe(200);
    expect(client.body.response).toMatchObject({ object: 'client', sessions: [], sign_in: null, sign_up: null });
    const again = await browser.call('GET', '/client');
    expect(again.body.response?.id).toBe(client.body.response?.id);

    const anonymous = await fetch(`${emulator.url}/v1/client`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as Answer['body']).errors?.[0]?.code).toBe('dev_browser_unauthenticated');
  });

  it('signs up with the email code: a wrong code is refused with Clerk’s error; the right one creates the user, its webhook and a session', async () => {
    const browser = await newBrowser();
    const created = await browser.call('POST', '/client/sign_ups', { email_address: 'Grace@Example.test', first_name: 'Grace', last_name: 'Hopper' });
    expect(created.body.response).toMatchObject({ status: 'missing_requirements', unverified_fields: ['email_address'], email_address: 'grace@example.test' });
    expect((created.body.response?.verifications as { email_address: { strategy: unknown } }).email_address.strategy).toBeNull();
    const id = String(created.body.response?.id);
    const prepared = await browser.call('POST', `/client/sign_ups/${id}/prepare_verification`, { strategy: 'email_code' });
    expect((prepared.body.response?.verifications as { email_address: { strategy: string } }).email_address.strategy).toBe('email_code');

    const wrong = await browser.call('POST', `/client/sign_ups/${id}/attempt_verification`, { strategy: 'email_code', code: '000000' });
    expect(wrong.status).toBe(422);
    expect(errorOf(wrong)).toMatchObject({ code: 'form_code_incorrect', meta: { param_name: 'code' } });
    expect((await admin<{ data: unknown[] }>(emulator, 'GET', '/admin/users')).body.data).toHaveLength(0);

    const right = await browser.call('POST', `/client/sign_ups/${id}/attempt_verification`, { strategy: 'email_code', code: EMAIL_CODE });
    expect(right.body.response).toMatchObject({ status: 'complete' });
    const sessionId = right.body.response?.created_session_id;
    const userId = String(right.body.response?.created_user_id);
    // clerk-js looks the new session up in the client that comes with the answer.
    expect(right.body.client?.sessions.map((session) => session.id)).toEqual([sessionId]);
    expect(right.body.client?.sessions[0]?.user.first_name).toBe('Grace');
    await waitFor('user.created', () => (eventsFor(userId).some((event) => event.type === 'user.created') ? true : undefined));

    const taken = await (await newBrowser()).call('POST', '/client/sign_ups', { email_address: 'grace@example.test', first_name: 'G', last_name: 'H' });
    expect(taken.status).toBe(422);
    expect(errorOf(taken)).toMatchObject({ code: 'form_identifier_exists', meta: { param_name: 'email_address' } });
  });

  it('signs in with a password, stored only as a scrypt hash, and with an email code; refusals have Clerk’s codes', async () => {
    const password = 'a long enough password';
    const { status } = await admin(emulator, 'POST', '/admin/users', { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.test', password });
    expect(status).toBe(201);
    const store = new BetterSqlite3(join(dir.path, STORE_FILE_NAME), { readonly: true });
    const stored = store.prepare<[], { password_hash: string }>("SELECT password_hash FROM users WHERE email = 'ada@example.test'").get();
    store.close();
    expect(stored?.password_hash).toMatch(/^scrypt\$/);
    expect(stored?.password_hash).not.toContain(password);

    const browser = await newBrowser();
    const unknown = await browser.call('POST', '/client/sign_ins', { identifier: 'nobody@example.test' });
    expect(unknown.status).toBe(422);
    expect(errorOf(unknown)).toMatchObject({ code: 'form_identifier_not_found', meta: { param_name: 'identifier' } });

    const signIn = await browser.call('POST', '/client/sign_ins', { identifier: 'ada@example.test' });
    expect(signIn.body.response).toMatchObject({ status: 'needs_first_factor' });
    const strategies = (signIn.body.response?.supported_first_factors as Array<{ strategy: string }>).map((factor) => factor.strategy);
    expect(strategies).toEqual(['password', 'email_code']);
    const id = String(signIn.body.response?.id);
    const wrong = await browser.call('POST', `/client/sign_ins/${id}/attempt_first_factor`, { strategy: 'password', password: 'not it at all' });
    expect(wrong.status).toBe(422);
    expect(errorOf(wrong)).toMatchObject({ code: 'form_password_incorrect', meta: { param_name: 'password' } });
    const right = await browser.call('POST', `/client/sign_ins/${id}/attempt_first_factor`, { strategy: 'password', password });
    expect(right.body.response).toMatchObject({ status: 'complete' });
    expect(right.body.client?.sessions).toHaveLength(1);

    const other = await newBrowser();
    const byCode = await other.call('POST', '/client/sign_ins', { identifier: 'ada@example.test' });
    const codeId = String(byCode.body.response?.id);
    const early = await other.call('POST', `/client/sign_ins/${codeId}/attempt_first_factor`, { strategy: 'email_code', code: EMAIL_CODE });
    expect(errorOf(early)?.code).toBe('verification_missing');
    await other.call('POST', `/client/sign_ins/${codeId}/prepare_first_factor`, { strategy: 'email_code' });
    const done = await other.call('POST', `/client/sign_ins/${codeId}/attempt_first_factor`, { strategy: 'email_code', code: EMAIL_CODE });
    expect(done.body.response).toMatchObject({ status: 'complete' });
  });

  it('issues RS256 session tokens to the SPA’s origin, with the configured lifetime; other origins get none', async () => {
    const browser = await newBrowser();
    const { userId, sessionId } = await browser.signUp('linus@example.test', 'Linus', 'Torvalds');
    const touched = await browser.call('POST', `/client/sessions/${sessionId}/touch`, { intent: 'select_session' });
    expect(touched.body.response).toMatchObject({ object: 'session', id: sessionId, status: 'active' });

    const token = await browser.call('POST', `/client/sessions/${sessionId}/tokens`, {});
    expect(token.body.object).toBe('token');
    const claims = await verifyToken(String(token.body.jwt), { jwtKey: emulator.config.jwtPublicKeyPem, authorizedParties: [SPA_ORIGIN] });
    expect(claims).toMatchObject({ sub: userId, sid: sessionId, azp: SPA_ORIGIN, v: 2, sts: 'active', fva: [0, -1] });
    expect(claims.exp - claims.iat).toBe(25);

    const elsewhere = await browser.call('POST', `/client/sessions/${sessionId}/tokens`, {}, 'http://evil.test');
    expect(elsewhere.status).toBe(403);
    expect(errorOf(elsewhere)?.code).toBe('origin_invalid');
    // Another browser cannot use this browser's session.
    expect((await (await newBrowser()).call('POST', `/client/sessions/${sessionId}/tokens`, {})).status).toBe(401);
  });

  it('lets the user edit their names and username (each change a user.updated webhook), list their devices, and sign out', async () => {
    const browser = await newBrowser();
    const { userId, sessionId } = await browser.signUp('barbara@example.test', 'Barbara', 'Liskov');
    const renamed = await browser.call('PATCH', `/me?_clerk_session_id=${sessionId}`, { first_name: 'Barb' });
    expect(renamed.body.response).toMatchObject({ id: userId, first_name: 'Barb' });
    expect(renamed.body.response).not.toHaveProperty('private_metadata');
    await waitFor('user.updated', () => (eventsFor(userId).some((event) => event.type === 'user.updated' && event.data.first_name === 'Barb') ? true : undefined));

    await admin(emulator, 'POST', '/admin/users', { first_name: 'X', last_name: 'Y', email_address: 'x@example.test', username: 'taken_name' });
    const taken = await browser.call('PATCH', '/me', { username: 'Taken_Name' });
    expect(errorOf(taken)).toMatchObject({ code: 'form_identifier_exists', meta: { param_name: 'username' } });
    const unsupported = await browser.call('PATCH', '/me', { primary_email_address_id: 'idn_x' });
    expect(unsupported.status).toBe(422);

    const devices = await browser.call('GET', '/me/sessions/active');
    expect(Array.isArray(devices.body)).toBe(true);
    expect((devices.body as unknown as Array<{ id: string; latest_activity: { ip_address: string } }>)[0]).toMatchObject({ id: sessionId });

    const signedOut = await browser.call('DELETE', '/client/sessions');
    expect(signedOut.body.response).toMatchObject({ sessions: [], sign_in: null, sign_up: null });
    expect((await browser.call('GET', '/me')).status).toBe(401);
  });

  it('sets and changes a password from <UserProfile/>, and the new one signs in', async () => {
    const browser = await newBrowser();
    const { sessionId } = await browser.signUp('alan@example.test', 'Alan', 'Turing');
    const set = await browser.call('POST', `/me/change_password?_clerk_session_id=${sessionId}`, { new_password: 'first password!', sign_out_of_other_sessions: 'false' });
    expect(set.body.response).toMatchObject({ password_enabled: true });
    const wrongCurrent = await browser.call('POST', '/me/change_password', { current_password: 'nope', new_password: 'second password!' });
    expect(errorOf(wrongCurrent)).toMatchObject({ code: 'form_password_incorrect', meta: { param_name: 'current_password' } });
    const tooShort = await browser.call('POST', '/me/change_password', { current_password: 'first password!', new_password: 'short' });
    expect(errorOf(tooShort)?.meta.param_name).toBe('new_password');
    expect((await browser.call('POST', '/me/change_password', { current_password: 'first password!', new_password: 'second password!' })).status).toBe(200);

    const other = await newBrowser();
    const signIn = await other.call('POST', '/client/sign_ins', { identifier: 'alan@example.test' });
    const id = String(signIn.body.response?.id);
    expect((await other.call('POST', `/client/sign_ins/${id}/attempt_first_factor`, { strategy: 'password', password: 'first password!' })).status).toBe(422);
    const done = await other.call('POST', `/client/sign_ins/${id}/attempt_first_factor`, { strategy: 'password', password: 'second password!' });
    expect(done.body.response).toMatchObject({ status: 'complete' });
  });

  it('takes an uploaded profile picture, serves it, and sends the new image_url as user.updated', async () => {
    const browser = await newBrowser();
    const { userId } = await browser.signUp('hedy@example.test', 'Hedy', 'Lamarr');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2213e6e0000000049454e44ae426082', 'hex');
    const form = new FormData();
    form.append('file', new Blob([png], { type: 'image/png' }), 'me.png');
    const url = `${emulator.url}/v1/me/profile_image?__clerk_db_jwt=${browser.devBrowser}`;
    const uploaded = (await (await fetch(url, { method: 'POST', body: form, headers: { origin: SPA_ORIGIN } })).json()) as Answer['body'];
    const publicUrl = String(uploaded.response?.public_url);
    expect(publicUrl).toMatch(new RegExp(`^${emulator.url}/images/img_`));
    const served = await fetch(publicUrl);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(png);
    await waitFor('user.updated with the picture', () =>
      receiver.received.some((delivery) => delivery.body.includes(publicUrl) && delivery.body.includes(userId)) ? true : undefined,
    );

    const notAnImage = new FormData();
    notAnImage.append('file', new Blob(['hello'], { type: 'text/plain' }), 'me.txt');
    expect((await fetch(url, { method: 'POST', body: notAnImage })).status).toBe(422);
    const removed = await browser.call('DELETE', '/me/profile_image');
    expect(removed.body.response?.public_url).toBe(`${emulator.url}/avatars/${userId}.svg`);
  });

  it('deletes the account: the user.deleted webhook goes out and the session ends', async () => {
    const browser = await newBrowser();
    const { userId, sessionId } = await browser.signUp('edsger@example.test', 'Edsger', 'Dijkstra');
    const deleted = await browser.call('DELETE', '/me');
    expect(deleted.body.response).toEqual({ deleted: true, id: userId, object: 'user' });
    expect(deleted.body.client?.sessions).toEqual([]);
    await waitFor('user.deleted', () => (eventsFor(userId).some((event) => event.type === 'user.deleted') ? true : undefined));
    const token = await browser.call('POST', `/client/sessions/${sessionId}/tokens`, {});
    expect(token.status).toBe(401);
    expect(errorOf(token)?.code).toBe('signed_out');
  });

  it('answers a call it does not serve with a Clerk-shaped 404', async () => {
    const browser = await newBrowser();
    const answer = await browser.call('GET', '/me/organization_creation_defaults');
    expect(answer.status).toBe(404);
    expect(errorOf(answer)?.code).toBe('resource_not_found');
  });
});

describe('Clerk’s browser scripts', () => {
  it('serves clerk-js and @clerk/ui from the pinned packages, for their major or exact version only', async () => {
    for (const path of ['/npm/@clerk/clerk-js@6/dist/clerk.browser.js', '/npm/@clerk/clerk-js@6.40.0/dist/clerk.browser.js', '/npm/@clerk/ui@1/dist/ui.browser.js']) {
      const response = await fetch(`${emulator.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/javascript/);
      expect((await response.text()).length).toBeGreaterThan(10_000);
    }
    expect((await fetch(`${emulator.url}/npm/@clerk/clerk-js@5/dist/clerk.browser.js`)).status).toBe(404);
    expect((await fetch(`${emulator.url}/npm/@clerk/ui@1/dist/no-such-chunk.js`)).status).toBe(404);
    expect((await fetch(`${emulator.url}/npm/@clerk/ui@1/dist/%2e%2e/package.json`)).status).toBe(404);
  });
});

describe('the developer page', () => {
  it('shows the users, the webhook counts, the app’s address and the email code', async () => {
    const response = await fetch(`${emulator.url}/`);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await response.text();
    expect(page).toContain(EMAIL_CODE);
    expect(page).toContain(`href="${SPA_ORIGIN}"`);
    expect(page).toContain('Ada Lovelace');
    expect(page).toMatch(/\d+ pending, \d+ delivered/);
  });
});

import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClerkUserJson, RunningClerkEmulator } from '../src/index';
import { primaryEmailOf } from '../src/index';
import { admin, createUser, startTestEmulator, tempDir } from './helpers';

const dir = tempDir();
let emulator: RunningClerkEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({ dataDir: dir.path });
});
afterAll(async () => {
  await emulator.close();
  dir.remove();
});

interface Problem {
  error: string;
  message: string;
}

describe('admin API', () => {
  it('creates a user with Clerk-shaped ids, a generated avatar and the email as primary address', async () => {
    const { status, body: user } = await admin<ClerkUserJson>(emulator, 'POST', '/admin/users', {
      first_name: ' Grace ',
      last_name: 'Hopper',
      email_address: 'Grace@Example.org',
      username: 'grace',
    });
    expect(status).toBe(201);
    expect(user.id).toMatch(/^user_[0-9A-Za-z]{27}$/);
    expect(user.primary_email_address_id).toMatch(/^idn_[0-9A-Za-z]{27}$/);
    expect(user).toMatchObject({ object: 'user', first_name: 'Grace', last_name: 'Hopper', username: 'grace', has_image: false });
    expect(primaryEmailOf(user)).toBe('grace@example.org');
    expect(user.image_url).toBe(`${emulator.url}/avatars/${user.id}.svg`);
    expect(user.created_at).toBe(user.updated_at);

    const avatar = await fetch(user.image_url);
    expect(avatar.status).toBe(200);
    expect(avatar.headers.get('content-type')).toContain('image/svg+xml');
    expect(await avatar.text()).toContain('>GH</text>');

    const listed = await admin<{ data: ClerkUserJson[] }>(emulator, 'GET', '/admin/users');
    expect(listed.body.data).toContainEqual(user);
  });

  it('refuses invalid input with 400 and a message naming each problem', async () => {
    const cases: Array<[unknown, string[]]> = [
      [{ last_name: 'X', email_address: 'x@example.org' }, ['first_name is required']],
      [{ first_name: 'X', last_name: 'Y', email_address: 'not-an-email' }, ['email_address must be an email address']],
      [{ first_name: 'X', last_name: 'Y' }, ['email_address is required']],
      [{ first_name: 'X', last_name: 'Y', email_address: 'x@example.org', username: 'a b' }, ['username must be']],
      [{ first_name: 'X', last_name: 'Y', email_address: 'x@example.org', image_url: 'javascript:alert(1)' }, ['image_url must be an absolute http(s) URL']],
      [{ first_name: 'X', last_name: 'Y', email_address: 'x@example.org', role: 'admin' }, ['unknown field role']],
      [{ first_name: 1, last_name: 'Y', email_address: 'x@example.org' }, ['first_name must be text or null']],
      [[], ['the body must be a JSON object']],
    ];
    for (const [body, fragments] of cases) {
      const answer = await admin<Problem>(emulator, 'POST', '/admin/users', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toBe('invalid_request');
      for (const fragment of fragments) expect(answer.body.message).toContain(fragment);
    }

    const noContentType = await fetch(`${emulator.url}/admin/users`, { method: 'POST', body: '{"first_name":"X"}' });
    expect(noContentType.status).toBe(400);
    expect(((await noContentType.json()) as Problem).message).toContain('Content-Type: application/json');

    const malformed = await fetch(`${emulator.url}/admin/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as Problem).error).toBe('invalid_json');
  });

  it('keeps email addresses and usernames unique, as Clerk does', async () => {
    await createUser(emulator, { first_name: 'Linus', last_name: 'T', email_address: 'linus@example.org', username: 'linus' });
    const sameEmail = await admin<Problem>(emulator, 'POST', '/admin/users', { first_name: 'L', last_name: 'T', email_address: 'LINUS@example.org' });
    expect(sameEmail.status).toBe(409);
    expect(sameEmail.body.error).toBe('form_identifier_exists');
    const sameUsername = await admin<Problem>(emulator, 'POST', '/admin/users', { first_name: 'L', last_name: 'T', email_address: 'other@example.org', username: 'Linus' });
    expect(sameUsername.status).toBe(409);
  });

  it('updates only the given fields, and a new primary email replaces the old address', async () => {
    const user = await createUser(emulator, { first_name: 'Alan', last_name: 'Turing', email_address: 'alan@example.org' });
    const renamed = await admin<ClerkUserJson>(emulator, 'PATCH', `/admin/users/${user.id}`, { last_name: 'M. Turing', username: 'alan_t' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ first_name: 'Alan', last_name: 'M. Turing', username: 'alan_t', primary_email_address_id: user.primary_email_address_id });

    const moved = await admin<ClerkUserJson>(emulator, 'PATCH', `/admin/users/${user.id}`, { email_address: 'turing@example.org' });
    expect(moved.body.primary_email_address_id).not.toBe(user.primary_email_address_id);
    expect(moved.body.email_addresses).toHaveLength(1);
    expect(moved.body.email_addresses[0]).toMatchObject({ id: moved.body.primary_email_address_id, email_address: 'turing@example.org' });
    // The old address is free again.
    await createUser(emulator, { first_name: 'Other', last_name: 'Alan', email_address: 'alan@example.org' });

    const withImage = await admin<ClerkUserJson>(emulator, 'PATCH', `/admin/users/${user.id}`, { image_url: 'https://img.example.org/alan.png' });
    expect(withImage.body).toMatchObject({ image_url: 'https://img.example.org/alan.png', has_image: true });
    const reset = await admin<ClerkUserJson>(emulator, 'PATCH', `/admin/users/${user.id}`, { image_url: null, username: null });
    expect(reset.body).toMatchObject({ image_url: `${emulator.url}/avatars/${user.id}.svg`, has_image: false, username: null });

    const invalid = await admin<Problem>(emulator, 'PATCH', `/admin/users/${user.id}`, { email_address: '' });
    expect(invalid.status).toBe(400);
  });

  it('makes updated_at strictly increase with every change, even within one millisecond', async () => {
    const user = await createUser(emulator, { first_name: 'Fast', last_name: 'Changes', email_address: 'fast@example.org' });
    let previous = user.updated_at;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) => admin<ClerkUserJson>(emulator, 'PATCH', `/admin/users/${user.id}`, { first_name: `Fast ${index}` })),
    );
    const stamps = answers.map((answer) => answer.body.updated_at).sort((a, b) => a - b);
    for (const stamp of stamps) {
      expect(stamp).toBeGreaterThan(previous);
      previous = stamp;
    }
  });

  it('treats a PATCH that changes nothing as no change', async () => {
    const user = await createUser(emulator, { first_name: 'Same', last_name: 'Same', email_address: 'same@example.org' });
    const before = emulator.webhookStats().pending;
    const answer = await admin<ClerkUserJson>(emulator, 'PATCH', `/admin/users/${user.id}`, { first_name: 'Same', email_address: 'SAME@example.org' });
    expect(answer.body).toEqual(user);
    expect(emulator.webhookStats().pending).toBe(before);
  });

  it('deletes a user for good; unknown ids answer 404', async () => {
    const user = await createUser(emulator, { first_name: 'Gone', last_name: 'Soon', email_address: 'gone@example.org' });
    const deleted = await admin(emulator, 'DELETE', `/admin/users/${user.id}`);
    expect(deleted).toEqual({ status: 200, body: { deleted: true, id: user.id, object: 'user' } });
    expect((await admin(emulator, 'DELETE', `/admin/users/${user.id}`)).status).toBe(404);
    expect((await admin(emulator, 'PATCH', `/admin/users/${user.id}`, { first_name: 'Back' })).status).toBe(404);
    expect((await admin(emulator, 'GET', `/admin/users/${user.id}`)).status).toBe(404);
    expect((await fetch(user.image_url)).status).toBe(404);
    const listed = await admin<{ data: ClerkUserJson[] }>(emulator, 'GET', '/admin/users');
    expect(listed.body.data.map((entry) => entry.id)).not.toContain(user.id);
  });

  it('counts webhooks: with no webhook URL every event waits', async () => {
    const stats = await admin<{ pending: number; delivered: number; failed: number; given_up: number }>(emulator, 'GET', '/admin/webhooks');
    expect(stats.body.pending).toBeGreaterThan(0);
    expect(stats.body).toEqual({ pending: stats.body.pending, delivered: 0, failed: 0, given_up: 0 });
  });

  it('answers only requests addressed to this machine (no DNS rebinding)', async () => {
    const statusFor = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const { port } = new URL(emulator.url);
        get({ host: '127.0.0.1', port, path: '/admin/config', headers: { host } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        }).on('error', reject);
      });
    expect(await statusFor('attacker.example')).toBe(403);
    expect(await statusFor(`localhost:${emulator.port}`)).toBe(200);
    expect(await statusFor(`127.0.0.1:${emulator.port}`)).toBe(200);
  });

  it('refuses requests that a web page on another origin sends', async () => {
    const response = await fetch(`${emulator.url}/admin/config`, { headers: { origin: 'http://localhost:5173' } });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

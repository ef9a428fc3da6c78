import { createClerkClient, type ClerkClient } from '@clerk/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClerkUserJson, ClerkWebhookEvent, EmulatorPublicConfig, RunningClerkEmulator } from '../src/index';
import { admin, createUser, startTestEmulator, startWebhookReceiver, tempDir, waitFor, type WebhookReceiver } from './helpers';

/** The rejection of a @clerk/backend call, as the fields the SDK gives callers. */
async function clerkError(call: Promise<unknown>): Promise<{ status?: number; code?: string; retryAfter?: number }> {
  try {
    await call;
  } catch (error) {
    const apiError = error as { status?: number; errors?: Array<{ code?: string }>; retryAfter?: number };
    return { status: apiError.status, code: apiError.errors?.[0]?.code, retryAfter: apiError.retryAfter };
  }
  throw new Error('the call succeeded');
}

describe('the Backend API, through @clerk/backend', () => {
  let emulator: RunningClerkEmulator;
  let receiver: WebhookReceiver;
  let clerk: ClerkClient;
  const users: ClerkUserJson[] = [];
  const dir = tempDir();

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    emulator = await startTestEmulator({ dataDir: dir.path, webhookUrl: receiver.url, bapiRateLimit: null });
    clerk = createClerkClient({ secretKey: emulator.config.secretKey, apiUrl: emulator.url });
    for (let n = 0; n < 23; n++) {
      users.push(await createUser(emulator, { first_name: `User${n}`, last_name: 'Paged', email_address: `user${n}@example.org` }));
    }
  });
  afterAll(async () => {
    await emulator.close();
    await receiver.close();
    dir.remove();
  });

  it('serves the secret key in GET /admin/config, in Clerk’s format', async () => {
    const { body } = await admin<EmulatorPublicConfig>(emulator, 'GET', '/admin/config');
    expect(body.secretKey).toMatch(/^sk_test_[A-Za-z0-9_-]{40}$/);
    expect(body.secretKey).toBe(emulator.config.secretKey);
  });

  it('refuses a missing or wrong secret key with 401 in Clerk’s error shape', async () => {
    const missing = await fetch(`${emulator.url}/v1/users`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toBe('application/json');
    const body = (await missing.json()) as { errors: Array<{ code: string; message: string; long_message: string }>; clerk_trace_id: string };
    expect(body.errors[0]).toMatchObject({ code: 'authentication_invalid', message: 'Invalid authentication' });
    expect(body.clerk_trace_id).toMatch(/^[0-9a-f]{32}$/);

    const wrong = createClerkClient({ secretKey: 'sk_test_wrong', apiUrl: emulator.url });
    expect(await clerkError(wrong.users.getUser(users[0]!.id))).toMatchObject({ status: 401, code: 'authentication_invalid' });
    expect(await clerkError(wrong.users.getUserList())).toMatchObject({ status: 401, code: 'authentication_invalid' });
  });

  it('lists users newest first by default, ten to a page, with the total count', async () => {
    const page = await clerk.users.getUserList();
    expect(page.totalCount).toBe(23);
    expect(page.data.map((user) => user.id)).toEqual(users.slice(-10).reverse().map((user) => user.id));
  });

  it('pages with limit and offset in either order, every user exactly once', async () => {
    for (const orderBy of ['-created_at', '+created_at', 'created_at', '-updated_at', '+updated_at'] as const) {
      const seen: string[] = [];
      for (let offset = 0; ; offset += 7) {
        const { data } = await clerk.users.getUserList({ limit: 7, offset, orderBy });
        seen.push(...data.map((user) => user.id));
        if (data.length < 7) break;
      }
      expect(seen, orderBy).toHaveLength(23);
      expect(new Set(seen).size).toBe(23);
      const expected = users.map((user) => user.id);
      expect(seen, orderBy).toEqual(orderBy.startsWith('-') ? [...expected].reverse() : expected);
    }
  });

  it('takes at most 500 a page and refuses nonsense parameters with 422', async () => {
    const { data } = await clerk.users.getUserList({ limit: 500 });
    expect(data).toHaveLength(23);
    expect(await clerkError(clerk.users.getUserList({ limit: 501 }))).toMatchObject({ status: 422, code: 'form_param_value_invalid' });
    const bad = async (query: string) => {
      const response = await fetch(`${emulator.url}/v1/users?${query}`, { headers: { authorization: `Bearer ${emulator.config.secretKey}` } });
      return response.status;
    };
    expect(await bad('limit=0')).toBe(422);
    expect(await bad('limit=ten')).toBe(422);
    expect(await bad('offset=-1')).toBe(422);
    expect(await bad('order_by=password')).toBe(422);
  });

  it('filters by user_id, repeated as @clerk/backend sends it; unknown ids are simply absent', async () => {
    const wanted = [users[3]!.id, users[17]!.id];
    const { data, totalCount } = await clerk.users.getUserList({ userId: [...wanted, 'user_doesnotexist'], limit: 100 });
    expect(data.map((user) => user.id).sort()).toEqual([...wanted].sort());
    expect(totalCount).toBe(2);
  });

  it('gets one user as Clerk’s JSON, or 404 resource_not_found', async () => {
    const user = await clerk.users.getUser(users[5]!.id);
    expect(user).toMatchObject({ id: users[5]!.id, firstName: 'User5', lastName: 'Paged', updatedAt: users[5]!.updated_at });
    expect(user.primaryEmailAddress?.emailAddress).toBe('user5@example.org');
    expect(await clerkError(clerk.users.getUser('user_doesnotexist'))).toMatchObject({ status: 404, code: 'resource_not_found' });
  });

  it('merges metadata as Clerk does and sends user.updated with a newer updated_at', async () => {
    const target = users[8]!;
    await clerk.users.updateUserMetadata(target.id, { privateMetadata: { team: { name: 'core', size: 3 }, keep: true }, publicMetadata: { role: 'lead' } });
    const updated = await clerk.users.updateUserMetadata(target.id, { privateMetadata: { team: { size: 4 }, keep: null } });
    expect(updated.privateMetadata).toEqual({ team: { name: 'core', size: 4 } });
    expect(updated.publicMetadata).toEqual({ role: 'lead' });
    expect(updated.updatedAt).toBeGreaterThan(target.updated_at);

    const event = await waitFor('the user.updated of the second change', () =>
      receiver.received
        .map((delivery) => JSON.parse(delivery.body) as ClerkWebhookEvent)
        .find((candidate) => candidate.type === 'user.updated' && (candidate.data as ClerkUserJson).updated_at === updated.updatedAt),
    );
    expect((event.data as ClerkUserJson).private_metadata).toEqual({ team: { name: 'core', size: 4 } });
    expect(await clerkError(clerk.users.updateUserMetadata('user_doesnotexist', { privateMetadata: { a: 1 } }))).toMatchObject({ status: 404 });
  });

  it('refuses a metadata body that is not three objects, changing nothing', async () => {
    const target = users[9]!;
    const response = await fetch(`${emulator.url}/v1/users/${target.id}/metadata`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${emulator.config.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ private_metadata: 'not an object' }),
    });
    expect(response.status).toBe(422);
    expect((await clerk.users.getUser(target.id)).updatedAt).toBe(target.updated_at);
  });
});

describe('the Backend API’s rate limit', () => {
  it('answers 429 with Retry-After past BAPI_RATE_LIMIT requests per 10 s, in Clerk’s shape', async () => {
    const dir = tempDir();
    const emulator = await startTestEmulator({ dataDir: dir.path, bapiRateLimit: 5 });
    try {
      const clerk = createClerkClient({ secretKey: emulator.config.secretKey, apiUrl: emulator.url });
      const user = await createUser(emulator, { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org' });
      for (let n = 0; n < 5; n++) await clerk.users.getUser(user.id);

      const limited = await clerkError(clerk.users.getUser(user.id));
      expect(limited).toMatchObject({ status: 429, code: 'too_many_requests' });
      expect(limited.retryAfter).toBeGreaterThanOrEqual(1);
      expect(limited.retryAfter).toBeLessThanOrEqual(10);
      // A wrong key is refused before it is counted, and the admin API is not limited.
      const wrong = await fetch(`${emulator.url}/v1/users`, { headers: { authorization: 'Bearer sk_test_wrong' } });
      expect(wrong.status).toBe(401);
      expect((await admin(emulator, 'GET', `/admin/users/${user.id}`)).status).toBe(200);
    } finally {
      await emulator.close();
      dir.remove();
    }
  });

  it('defaults to Clerk’s development limit of 100', async () => {
    const dir = tempDir();
    const emulator = await startTestEmulator({ dataDir: dir.path });
    try {
      const headers = { authorization: `Bearer ${emulator.config.secretKey}` };
      const statuses = await Promise.all(Array.from({ length: 101 }, () => fetch(`${emulator.url}/v1/users/count`, { headers }).then((r) => r.status)));
      expect(statuses.filter((status) => status === 200)).toHaveLength(100);
      expect(statuses.filter((status) => status === 429)).toHaveLength(1);
    } finally {
      await emulator.close();
      dir.remove();
    }
  });
});

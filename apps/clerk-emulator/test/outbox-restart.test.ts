import { afterEach, describe, expect, it } from 'vitest';
import type { ClerkWebhookEvent } from '../src/index';
import { admin, createUser, startTestEmulator, startWebhookReceiver, tempDir, waitFor, waitForNothingPending } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the webhook outbox', () => {
  it('survives a restart: undelivered events are sent on the next start, with their original message ids', async () => {
    const dir = tempDir();
    const failing = await startWebhookReceiver(500);
    cleanups.push(dir.remove, failing.close);

    const first = await startTestEmulator({ dataDir: dir.path, webhookUrl: failing.url });
    const ada = await createUser(first, { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org' });
    const grace = await createUser(first, { first_name: 'Grace', last_name: 'Hopper', email_address: 'grace@example.org' });
    await admin(first, 'PATCH', `/admin/users/${ada.id}`, { first_name: 'Augusta' });
    await admin(first, 'DELETE', `/admin/users/${grace.id}`);
    await waitFor('each event to be tried once', () => (new Set(failing.received.map((d) => d.headers['svix-id'])).size === 4 ? true : undefined));
    await first.close();
    const triedIds = new Set(failing.received.map((delivery) => delivery.headers['svix-id']));

    const working = await startWebhookReceiver(200);
    cleanups.push(working.close);
    const second = await startTestEmulator({ dataDir: dir.path, webhookUrl: working.url });
    cleanups.push(second.close);
    expect(second.webhookStats().pending + second.webhookStats().delivered).toBe(4);
    await waitForNothingPending(second);

    expect(second.webhookStats()).toMatchObject({ pending: 0, delivered: 4 });
    expect(new Set(working.received.map((delivery) => delivery.headers['svix-id']))).toEqual(triedIds);
    const types = working.received.map((delivery) => (JSON.parse(delivery.body) as ClerkWebhookEvent).type).sort();
    expect(types).toEqual(['user.created', 'user.created', 'user.deleted', 'user.updated']);
    // The users themselves survived too.
    const users = await admin<{ data: Array<{ id: string; first_name: string }> }>(second, 'GET', '/admin/users');
    expect(users.body.data).toEqual([expect.objectContaining({ id: ada.id, first_name: 'Augusta' })]);
  });

  it('holds events while no webhook URL is set and sends them once one is', async () => {
    const dir = tempDir();
    const receiver = await startWebhookReceiver(200);
    const emulator = await startTestEmulator({ dataDir: dir.path });
    cleanups.push(dir.remove, receiver.close, emulator.close);
    await createUser(emulator, { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org' });
    expect(emulator.webhookStats()).toEqual({ pending: 1, delivered: 0, failed: 0, given_up: 0 });
    emulator.setWebhookUrl(receiver.url);
    await waitForNothingPending(emulator);
    expect(receiver.received).toHaveLength(1);
  });
});

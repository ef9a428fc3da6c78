import { afterEach, describe, expect, it } from 'vitest';
import { loadEmulatorEnv, EmulatorConfigError, type WebhookStats } from '../src/index';
import { admin, createUser, startTestEmulator, startWebhookReceiver, tempDir, waitFor } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(maxAttempts: number, options: { webhookConcurrency?: number } = {}) {
  const dir = tempDir();
  const receiver = await startWebhookReceiver(503);
  const emulator = await startTestEmulator({ dataDir: dir.path, webhookUrl: receiver.url, webhookMaxAttempts: maxAttempts, ...options });
  cleanups.push(dir.remove, receiver.close, emulator.close);
  return { emulator, receiver };
}

const givenUp = (stats: WebhookStats, count: number) => (stats.given_up === count ? stats : undefined);

describe('giving messages up, and recovering them', () => {
  it('gives a message up after WEBHOOK_MAX_ATTEMPTS attempts and tries it no more', async () => {
    // One attempt at a time, the earliest scheduled first: every attempt the sender makes passes
    // over every message that is due, so a later message's attempts show what it did with the
    // earlier one.
    const { emulator, receiver } = await setUp(3, { webhookConcurrency: 1 });
    await createUser(emulator, { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org' });
    const first = await waitFor('the message to be given up', () => givenUp(emulator.webhookStats(), 1));
    expect(first).toEqual({ pending: 0, delivered: 0, failed: 3, given_up: 1 });
    expect(receiver.received).toHaveLength(3);
    const adaMessage = receiver.received[0]!.headers['svix-id'];

    // Had it stayed due (its last schedule is in the past), it would go before each of the next
    // message's three attempts. Waiting for that message to be given up is the signal.
    await createUser(emulator, { first_name: 'Grace', last_name: 'Hopper', email_address: 'grace@example.org' });
    const both = await waitFor('the second message to be given up', () => givenUp(emulator.webhookStats(), 2));
    expect(both).toEqual({ pending: 0, delivered: 0, failed: 6, given_up: 2 });
    const attempts = receiver.received.map((delivery) => delivery.headers['svix-id']);
    expect(attempts).toHaveLength(6);
    expect(attempts.slice(0, 3)).toEqual([adaMessage, adaMessage, adaMessage]);
    expect(new Set(attempts.slice(3))).toEqual(new Set([attempts[3]]));
    expect(attempts[3]).not.toBe(adaMessage);
    expect((await admin<WebhookStats>(emulator, 'GET', '/admin/webhooks')).body).toEqual(both);
  });

  it('POST /admin/webhooks/recover sends given-up messages again, same message id, with a fresh budget', async () => {
    const { emulator, receiver } = await setUp(2);
    await createUser(emulator, { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org' });
    await waitFor('the message to be given up', () => givenUp(emulator.webhookStats(), 1));
    const firstId = receiver.received[0]!.headers['svix-id'];

    // Recovered while the endpoint still fails: two more attempts, then given up again.
    expect((await admin(emulator, 'POST', '/admin/webhooks/recover', {})).body).toEqual({ recovered: 1 });
    await waitFor('two more attempts', () => (emulator.webhookStats().failed === 4 && emulator.webhookStats().given_up === 1 ? true : undefined));
    expect(receiver.received).toHaveLength(4);

    receiver.respondWith(200);
    const recovered = await admin(emulator, 'POST', '/admin/webhooks/recover');
    expect(recovered).toEqual({ status: 200, body: { recovered: 1 } });
    const stats = await waitFor('the delivery', () => (emulator.webhookStats().delivered === 1 ? emulator.webhookStats() : undefined));
    expect(stats).toEqual({ pending: 0, delivered: 1, failed: 4, given_up: 0 });
    expect(new Set(receiver.received.map((delivery) => delivery.headers['svix-id']))).toEqual(new Set([firstId]));
    expect((await admin(emulator, 'POST', '/admin/webhooks/recover')).body).toEqual({ recovered: 0 });
  });

  it('recovers only messages created at or after `since`', async () => {
    const { emulator, receiver } = await setUp(1);
    await createUser(emulator, { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org' });
    await waitFor('the first message to be given up', () => givenUp(emulator.webhookStats(), 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = new Date().toISOString();
    const grace = await createUser(emulator, { first_name: 'Grace', last_name: 'Hopper', email_address: 'grace@example.org' });
    await waitFor('both messages to be given up', () => givenUp(emulator.webhookStats(), 2));

    receiver.respondWith(200);
    expect((await admin(emulator, 'POST', '/admin/webhooks/recover', { since })).body).toEqual({ recovered: 1 });
    await waitFor('the recovered delivery', () => (emulator.webhookStats().delivered === 1 ? true : undefined));
    expect(JSON.parse(receiver.received.at(-1)!.body).data.id).toBe(grace.id);
    expect(emulator.webhookStats()).toMatchObject({ given_up: 1, pending: 0 });
  });

  it('refuses a `since` that is not an ISO 8601 date-time, recovering nothing', async () => {
    const { emulator } = await setUp(1);
    await createUser(emulator, { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org' });
    await waitFor('the message to be given up', () => givenUp(emulator.webhookStats(), 1));
    const refused = await admin<{ error: string; message: string }>(emulator, 'POST', '/admin/webhooks/recover', { since: 'yesterday' });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/since must be an ISO 8601 date-time/);
    expect(emulator.webhookStats().given_up).toBe(1);
  });

  it('reads WEBHOOK_MAX_ATTEMPTS and BAPI_RATE_LIMIT from the environment', () => {
    expect(loadEmulatorEnv({})).toMatchObject({ webhookMaxAttempts: null, bapiRateLimit: 100 });
    expect(loadEmulatorEnv({ WEBHOOK_MAX_ATTEMPTS: '8', BAPI_RATE_LIMIT: '1000' })).toMatchObject({ webhookMaxAttempts: 8, bapiRateLimit: 1000 });
    expect(loadEmulatorEnv({ BAPI_RATE_LIMIT: '0' })).toMatchObject({ bapiRateLimit: null });
    expect(() => loadEmulatorEnv({ WEBHOOK_MAX_ATTEMPTS: '0' })).toThrow(EmulatorConfigError);
    expect(() => loadEmulatorEnv({ WEBHOOK_MAX_ATTEMPTS: 'many' })).toThrow(/WEBHOOK_MAX_ATTEMPTS/);
    expect(() => loadEmulatorEnv({ BAPI_RATE_LIMIT: '-1' })).toThrow(/BAPI_RATE_LIMIT/);
  });
});

import { clerkFixture } from '@expectations/api/testing';
import { Webhook } from 'svix';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClerkUserJson, ClerkWebhookEvent, RunningClerkEmulator } from '../src/index';
import { faultRoll } from '../src/webhook-faults';
import { admin, createUser, startTestEmulator, startWebhookReceiver, tempDir, waitFor, waitForNothingPending, type WebhookReceiver } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(options: { faults?: string; receiverStatus?: number } = {}): Promise<{ emulator: RunningClerkEmulator; receiver: WebhookReceiver }> {
  const dir = tempDir();
  const receiver = await startWebhookReceiver(options.receiverStatus ?? 200);
  const emulator = await startTestEmulator({ dataDir: dir.path, webhookUrl: receiver.url, webhookFaults: options.faults });
  cleanups.push(dir.remove, receiver.close, emulator.close);
  return { emulator, receiver };
}

const events = (receiver: WebhookReceiver) => receiver.received.map((delivery) => JSON.parse(delivery.body) as ClerkWebhookEvent);

describe('webhooks', () => {
  it('are signed exactly as Svix signs, verified by the svix library', async () => {
    const { emulator, receiver } = await setUp();
    await createUser(emulator, { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org' });
    await waitForNothingPending(emulator);

    const [delivery] = receiver.received;
    expect(delivery).toBeDefined();
    const headers = delivery!.headers;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['svix-id']).toMatch(/^msg_[0-9A-Za-z]{27}$/);
    expect(headers['svix-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    const svixHeaders = {
      'svix-id': String(headers['svix-id']),
      'svix-timestamp': String(headers['svix-timestamp']),
      'svix-signature': String(headers['svix-signature']),
    };
    expect(() => new Webhook(emulator.config.webhookSigningSecret).verify(delivery!.body, svixHeaders)).not.toThrow();
    // One changed byte, or another secret, and verification fails.
    expect(() => new Webhook(emulator.config.webhookSigningSecret).verify(`${delivery!.body} `, svixHeaders)).toThrow();
    expect(() => new Webhook('whsec_' + Buffer.alloc(24, 7).toString('base64')).verify(delivery!.body, svixHeaders)).toThrow();
  });

  it('carry Clerk’s event envelope and the full user JSON, in the shape of a real Clerk payload', async () => {
    const { emulator, receiver } = await setUp();
    const user = await createUser(emulator, { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org' });
    await admin(emulator, 'PATCH', `/admin/users/${user.id}`, { last_name: 'King' });
    await admin(emulator, 'DELETE', `/admin/users/${user.id}`);
    await waitForNothingPending(emulator);

    const received = events(receiver).sort((a, b) => a.timestamp - b.timestamp);
    expect(received.map((event) => event.type)).toEqual(['user.created', 'user.updated', 'user.deleted']);
    const sample = clerkFixture('user.created') as ClerkWebhookEvent;
    for (const event of received) {
      expect(Object.keys(event).sort()).toEqual(Object.keys(sample).sort());
      expect(event.object).toBe('event');
      expect(event.instance_id).toMatch(/^ins_/);
      expect(event.event_attributes.http_request).toHaveProperty('client_ip');
      expect(event.event_attributes.http_request).toHaveProperty('user_agent');
    }
    const created = received[0]!.data as ClerkUserJson;
    expect(Object.keys(created).sort()).toEqual(Object.keys(sample.data).sort());
    expect(Object.keys(created.email_addresses[0]!).sort()).toEqual(Object.keys((sample.data as ClerkUserJson).email_addresses[0]!).sort());
    expect(created).toMatchObject({ id: user.id, first_name: 'Ada', last_name: 'Lovelace' });
    expect((received[1]!.data as ClerkUserJson).last_name).toBe('King');
    expect((received[1]!.data as ClerkUserJson).updated_at).toBeGreaterThan(created.updated_at);
    expect(received[2]!.data).toEqual({ deleted: true, id: user.id, object: 'user' });
  });

  it('are retried with the same message id until a 2xx, recording the failed attempts', async () => {
    const { emulator, receiver } = await setUp({ receiverStatus: 503 });
    await createUser(emulator, { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org' });
    // Wait on the stand-in's own record: the receiver sees an attempt before its sender has
    // read the 503 and counted the failure.
    await waitFor('three failed attempts', () => (emulator.webhookStats().failed >= 3 ? true : undefined));
    expect(receiver.received.length).toBeGreaterThanOrEqual(3);
    expect(emulator.webhookStats()).toMatchObject({ pending: 1, delivered: 0 });

    receiver.respondWith(200);
    await waitForNothingPending(emulator);
    const ids = new Set(receiver.received.map((delivery) => delivery.headers['svix-id']));
    expect(ids.size).toBe(1);
    const bodies = new Set(receiver.received.map((delivery) => delivery.body));
    expect(bodies.size).toBe(1);
    const stats = (await admin<{ pending: number; delivered: number; failed: number }>(emulator, 'GET', '/admin/webhooks')).body;
    expect(stats.pending).toBe(0);
    expect(stats.delivered).toBe(1);
    expect(stats.failed).toBe(receiver.received.length - 1);
  });

  it('duplicate fault: the same message arrives twice', async () => {
    const { emulator, receiver } = await setUp({ faults: 'duplicate=1,seed=1' });
    await createUser(emulator, { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org' });
    await waitForNothingPending(emulator);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]!.headers['svix-id']).toBe(receiver.received[1]!.headers['svix-id']);
    expect(receiver.received[0]!.body).toBe(receiver.received[1]!.body);
  });

  it('drop fault: dropped attempts are never sent, count as failed and are retried', async () => {
    const { emulator, receiver } = await setUp({ faults: 'drop=0.6,seed=7' });
    for (let index = 0; index < 5; index += 1) {
      await createUser(emulator, { first_name: 'User', last_name: String(index), email_address: `user${index}@example.org` });
    }
    await waitForNothingPending(emulator);
    const stats = emulator.webhookStats();
    expect(stats.delivered).toBe(5);
    expect(stats.failed).toBeGreaterThan(0);
    // Only successful attempts reached the endpoint: dropped ones were not sent.
    expect(receiver.received).toHaveLength(5);
  });

  it('reorder fault: a held message is overtaken by a later one', async () => {
    // A seed under which the first message (outbox seq 1) is held and the second (seq 2) is not.
    const seed = Array.from({ length: 1000 }, (_, index) => index).find(
      (candidate) => faultRoll(candidate, 1, 0, 'reorder') < 0.5 && faultRoll(candidate, 2, 0, 'reorder') >= 0.5,
    );
    const { emulator, receiver } = await setUp({ faults: `reorder=0.5,seed=${seed}` });
    const user = await createUser(emulator, { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org' });
    // The first message was held the moment it was queued; this change is sent while it waits.
    await admin(emulator, 'PATCH', `/admin/users/${user.id}`, { first_name: 'Augusta' });
    await waitForNothingPending(emulator);
    expect(events(receiver).map((event) => event.type)).toEqual(['user.updated', 'user.created']);
  });

  it('delay fault: attempts still arrive', async () => {
    const { emulator, receiver } = await setUp({ faults: 'delay_ms=100,seed=5' });
    await createUser(emulator, { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org' });
    await waitForNothingPending(emulator);
    expect(receiver.received).toHaveLength(1);
  });
});

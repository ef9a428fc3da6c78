import { afterEach, expect, it } from 'vitest';
import { loadEmulatorEnv } from '../src/config';
import { createUser, startTestEmulator, startWebhookReceiver, tempDir, waitForNothingPending } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// Several API replicas and no load balancer in front: WEBHOOK_URL lists them all, and each
// attempt goes to the next, so every replica receives deliveries (and retries) of the stream.
it('delivers round-robin to every URL of a comma-separated list; a duplicate’s copies go to two of them', async () => {
  const dir = tempDir();
  const first = await startWebhookReceiver();
  const second = await startWebhookReceiver();
  const emulator = await startTestEmulator({ dataDir: dir.path, webhookUrl: `${first.url},${second.url}`, webhookFaults: 'duplicate=1' });
  cleanups.push(dir.remove, first.close, second.close, emulator.close);

  for (let n = 0; n < 4; n++) await createUser(emulator, { first_name: `User ${n}`, last_name: 'X', email_address: `u${n}@example.org` });
  await waitForNothingPending(emulator);

  // duplicate=1: each message is sent twice at once, one copy to each replica.
  const ids = (receiver: typeof first) => receiver.received.map((delivery) => String(delivery.headers['svix-id'])).sort();
  expect(ids(first)).toHaveLength(4);
  expect(ids(first)).toEqual(ids(second));
});

it('reads WEBHOOK_URL as a comma-separated list and names a bad entry', () => {
  expect(loadEmulatorEnv({ WEBHOOK_URL: 'http://127.0.0.1:4001/hook, http://127.0.0.1:4002/hook' }, '/tmp').webhookUrl).toBe(
    'http://127.0.0.1:4001/hook,http://127.0.0.1:4002/hook',
  );
  expect(() => loadEmulatorEnv({ WEBHOOK_URL: 'http://127.0.0.1:4001/hook,ftp://x' }, '/tmp')).toThrow(/WEBHOOK_URL: must be an absolute http\(s\) URL/);
});

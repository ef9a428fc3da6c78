import { Webhook } from 'svix';
import { clerkUserEvent, signedWebhookRequest } from './deliveries';

/** Creates `count` users the only way users are ever created: signed webhooks to the API. */
export async function seedUsersThroughWebhooks(apiUrl: string, signingSecret: string, count: number): Promise<void> {
  const signer = new Webhook(signingSecret);
  const version = 1_767_225_600_000;
  const queue = Array.from({ length: count }, (_, n) => n);
  const worker = async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      const { method, path, headers, body } = signedWebhookRequest(signer, clerkUserEvent('user.created', n, version));
      const response = await fetch(`${apiUrl}${path}`, { method, headers, body });
      if (!response.ok) throw new Error(`seeding user ${n} failed with ${response.status}: ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

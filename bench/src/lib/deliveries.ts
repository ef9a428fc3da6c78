import { signDelivery } from '@expectations/api/testing';
import type { LoadRequest } from './load';

/** The Clerk user id of bench user number `n`. */
export const benchUserId = (n: number) => `user_bench${String(n).padStart(8, '0')}`;

/** A Clerk `user.created`/`user.updated` body for user number `n`, in Clerk's full JSON shape. */
export function clerkUserEvent(type: 'user.created' | 'user.updated', n: number, updatedAt: number): string {
  const id = benchUserId(n);
  const emailId = `idn_bench${String(n).padStart(8, '0')}`;
  return JSON.stringify({
    data: {
      id,
      object: 'user',
      username: `bench${n}`,
      first_name: `Bench`,
      last_name: `User ${n}`,
      image_url: `https://img.example.test/${n}.png`,
      has_image: true,
      primary_email_address_id: emailId,
      email_addresses: [{ id: emailId, object: 'email_address', email_address: `bench${n}@example.test`, linked_to: [] }],
      phone_numbers: [],
      public_metadata: {},
      private_metadata: {},
      unsafe_metadata: {},
      created_at: 1_767_225_600_000,
      updated_at: updatedAt,
    },
    event_attributes: { http_request: { client_ip: '192.0.2.1', user_agent: 'bench' } },
    instance_id: 'ins_bench',
    object: 'event',
    timestamp: updatedAt,
    type,
  });
}

/** A signed POST of `body` to the webhook route, exactly as Svix sends it. */
export function signedWebhookRequest(signingSecret: string, body: string): LoadRequest {
  const { headers } = signDelivery(signingSecret, body);
  return { method: 'POST', path: '/api/webhooks/clerk', headers, body };
}

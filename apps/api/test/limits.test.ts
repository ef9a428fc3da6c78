import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodeOf, startTrpcApi, type TrpcApi } from './support/trpc-http';
import { newSigningSecret, signDelivery } from '../testing/webhook-signing';
import { clerkUserEvent } from '../testing/clerk-fixtures';

describe('per-user rate limit on mutations', () => {
  let t: TrpcApi;
  beforeAll(async () => {
    t = await startTrpcApi({ MUTATION_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.stop());

  it('answers 429 TOO_MANY_REQUESTS past the configured limit, per user, and never limits reads', async () => {
    const ada = await t.member({ firstName: 'Ada' });
    const bob = await t.member({ firstName: 'Bob' });
    const create = (token: string, title: string) => t.call('expectations.create', { method: 'POST', token, input: { title } });

    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await create(ada.token, `ada ${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await create(ada.token, 'one more');
    expect(errorCodeOf(refused.body)).toBe('TOO_MANY_REQUESTS');

    expect((await create(bob.token, 'bob')).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await t.call('expectations.list', { token: ada.token })).status).toBe(200);
  });
});

describe('the webhook route is not rate-limited', () => {
  let t: TrpcApi;
  const secret = newSigningSecret();
  beforeAll(async () => {
    t = await startTrpcApi({ MUTATION_RATE_LIMIT_PER_MINUTE: '1', CLERK_WEBHOOK_SIGNING_SECRET: secret });
  });
  afterAll(() => t.stop());

  it('takes a burst of 300 deliveries, as Svix sends after an outage', async () => {
    const deliveries = Array.from({ length: 300 }, (_, i) =>
      signDelivery(secret, clerkUserEvent('user.created', { id: `user_burst${i}`, updatedAt: 1_000 + i })),
    );
    const statuses = await Promise.all(
      deliveries.map(async (delivery) => {
        const response = await fetch(`${t.api.url}/api/webhooks/clerk`, { method: 'POST', headers: delivery.headers, body: delivery.body });
        return response.status;
      }),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});

import type { Database } from '@expectations/db';
import { insertExpectations } from '@expectations/db/testing';
import { clerkUserEvent, signedWebhookRequest } from './deliveries';

/** Creates `count` users the only way users are ever created: signed webhooks to the API. */
export async function seedUsersThroughWebhooks(apiUrl: string, signingSecret: string, count: number): Promise<void> {
  const version = 1_767_225_600_000;
  const queue = Array.from({ length: count }, (_, n) => n);
  const worker = async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      const { method, path, headers, body } = signedWebhookRequest(signingSecret, clerkUserEvent('user.created', n, version));
      const response = await fetch(`${apiUrl}${path}`, { method, headers, body });
      if (!response.ok) throw new Error(`seeding user ${n} failed with ${response.status}: ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Expectations `offset` to `offset + count - 1`, in bulk: the large sizes need bulk speed. */
export async function bulkInsertExpectations(db: Database, userIds: number[], offset: number, count: number): Promise<void> {
  const statuses = ['open', 'met', 'missed', 'withdrawn'] as const;
  const start = 1_767_225_600_000;
  function* rows() {
    for (let i = offset; i < offset + count; i++) {
      const at = start + i * 1000;
      yield {
        authorId: userIds[i % userIds.length]!,
        assigneeId: i % 3 === 0 ? null : userIds[(i * 7 + 3) % userIds.length]!,
        title: `Expectation ${i}`,
        details: i % 2 ? 'Some details about it.' : '',
        status: statuses[i % 4]!,
        dueOn: i % 5 ? null : '2027-01-15',
        createdAt: at,
        updatedAt: at,
      };
    }
  }
  await insertExpectations(db, rows());
}

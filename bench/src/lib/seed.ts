import type { Database } from '@expectations/db';
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

/** Expectations written straight through the db package's SQLite handle: the large sizes need bulk speed. */
export function bulkInsertExpectations(db: Database, userIds: number[], offset: number, count: number): void {
  const insert = db.sqlite.prepare(
    `INSERT INTO expectations (author_id, assignee_id, title, details, status, due_on, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const statuses = ['open', 'met', 'missed', 'withdrawn'] as const;
  const start = 1_767_225_600_000;
  db.sqlite.transaction(() => {
    for (let i = offset; i < offset + count; i++) {
      const author = userIds[i % userIds.length]!;
      const assignee = i % 3 === 0 ? null : userIds[(i * 7 + 3) % userIds.length]!;
      const at = start + i * 1000;
      insert.run(author, assignee, `Expectation ${i}`, i % 2 ? 'Some details about it.' : '', statuses[i % 4], i % 5 ? null : '2027-01-15', at, at);
    }
  })();
}


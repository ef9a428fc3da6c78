import { randomUUID } from 'node:crypto';
import { openDatabase } from '@expectations/db';
import { applyClerkEvent } from '@expectations/db/mirror-writer';
import { clerkUser, startPostgresServer, createTempDatabaseUrl } from '@expectations/db/testing';
const server = await startPostgresServer({ durable: true });
try {
  const { url } = await createTempDatabaseUrl({ dialect: 'postgres', postgresServerUrl: server.url });
  const db = await openDatabase(url);
  let version = 1_000;
  const users = Array.from({ length: 1000 }, (_, n) => `user_w${n}`);
  for (const id of users) await applyClerkEvent(db, { svixId: `msg_${randomUUID()}`, receivedAt: Date.now(), event: { type: 'user.created', timestamp: 1, data: clerkUser({ clerkId: id, updatedAt: 1 }) } });
  for (let round = 0; round < 3; round++) {
    const deadline = Date.now() + 4000; let done = 0; let n = 0;
    await Promise.all(Array.from({ length: 16 }, async () => { while (Date.now() < deadline) { const id = users[n++ % users.length]!; const v = ++version; await applyClerkEvent(db, { svixId: `msg_${randomUUID()}`, receivedAt: Date.now(), event: { type: 'user.updated', timestamp: v, data: clerkUser({ clerkId: id, updatedAt: v }) } }); done++; } }));
    console.log('applies/s', done / 4);
  }
  await db.close();
} finally { await server.stop(); }

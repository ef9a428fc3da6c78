/**
 * The physical floor for webhook ingestion: node:http, the Svix signature check, JSON.parse and
 * the same durable SQLite transaction (dedupe, staleness check, upsert, event row), with no
 * framework, no validation library and no logging. The API is measured against this.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'svix';
import { openDatabase } from '@expectations/db';

const db = openDatabase(process.env.DATABASE_URL!);
const verifier = new Webhook(process.env.CLERK_WEBHOOK_SIGNING_SECRET!);

const seen = db.sqlite.prepare('SELECT 1 FROM webhook_events WHERE svix_id = ?');
const findUser = db.sqlite.prepare('SELECT id, clerk_updated_at, deleted_at FROM users WHERE clerk_id = ?');
const insertUser = db.sqlite.prepare(
  `INSERT INTO users (clerk_id, email, first_name, last_name, username, image_url, clerk_updated_at, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const updateUser = db.sqlite.prepare(
  `UPDATE users SET email = ?, first_name = ?, last_name = ?, username = ?, image_url = ?, clerk_updated_at = ?, updated_at = ? WHERE id = ?`,
);
const insertEvent = db.sqlite.prepare(
  `INSERT INTO webhook_events (svix_id, type, clerk_user_id, outcome, clerk_updated_at, received_at, last_delivered_at)
   VALUES (?, ?, ?, ?, ?, ?, ?)`,
);

interface UserData {
  id: string;
  first_name: string | null;
  last_name: string | null;
  username: string | null;
  image_url: string | null;
  primary_email_address_id: string | null;
  email_addresses: Array<{ id: string; email_address: string }>;
  updated_at: number;
}

const apply = db.sqlite.transaction((svixId: string, type: string, user: UserData, now: number) => {
  if (seen.get(svixId)) return 'duplicate';
  const email = user.email_addresses.find((address) => address.id === user.primary_email_address_id)?.email_address ?? null;
  const row = findUser.get(user.id) as { id: number; clerk_updated_at: number; deleted_at: number | null } | undefined;
  let outcome = 'applied';
  if (!row) insertUser.run(user.id, email, user.first_name, user.last_name, user.username, user.image_url, user.updated_at, now, now);
  else if (row.deleted_at !== null || user.updated_at <= row.clerk_updated_at) outcome = 'stale';
  else updateUser.run(email, user.first_name, user.last_name, user.username, user.image_url, user.updated_at, now, row.id);
  insertEvent.run(svixId, type, user.id, outcome, user.updated_at, now, now);
  return outcome;
});

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const svixId = String(req.headers['svix-id']);
    try {
      verifier.verify(body, {
        'svix-id': svixId,
        'svix-timestamp': String(req.headers['svix-timestamp']),
        'svix-signature': String(req.headers['svix-signature']),
      });
    } catch {
      res.writeHead(400).end();
      return;
    }
    const event = JSON.parse(body.toString('utf8')) as { type: string; data: UserData };
    const outcome = apply.immediate(svixId, event.type, event.data, Date.now());
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, outcome }));
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: 'floor listening', url: `http://127.0.0.1:${port}` }));
});
process.once('SIGTERM', () => server.close(() => db.close()));
